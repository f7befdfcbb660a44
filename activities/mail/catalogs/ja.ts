import type { Catalog } from './en';

export const ja: Catalog = {
  greeting: '{name} 様',
  signoff: 'よろしくお願いいたします。',
  team: 'サポートチーム',
  replyHint: 'ご返信の際は、件名の {ref} を残したままこのメールに返信してください。返信内容はケースに追加されます。',
  'received.subject': 'ケース {ref} を受け付けました: {title}',
  'received.body': 'お問い合わせいただきありがとうございます。ケース {ref}「{title}」を作成しました。',
  'received.due': '初回回答の期限は {dueAt} です（{target}）。',
  'received.target':
    '{unit, select, minute {{amount, plural, other {#分}}} hour {{amount, plural, other {#時間}}} other {{amount, plural, other {#営業日}}}}、{clock, select, wall {24時間体制で計算} other {貴社の営業時間内で計算}}',
  'received.noDue':
    '{kind, select, best_effort {ご契約のサポートプログラムはベストエフォート対応です。できるだけ早く回答いたしますが、回答時間の保証はありません。} other {この種類のケースには回答期限がありません。できるだけ早く回答いたします。}}',
  'received.explanation': '計算の根拠: {explanation}',
  'infoRequest.subject': 'ケース {ref}: 情報のご提供をお願いします',
  'infoRequest.body': 'ケース {ref}「{title}」の対応を続けるため、次の情報をお知らせください:',
  'infoRequest.schedule':
    'ご返信がない場合は、{of, plural, other {#営業日}}にわたり改めてご連絡いたします。ご返信がないままの場合、ケースは {closesAt} にクローズされます。',
  'attempt.subject': 'ケース {ref}: ご返信をお待ちしています（{of}回中{attempt}回目のご連絡）',
  'attempt.body':
    'ケース {ref}「{title}」について、{of}回中{attempt}回目のご連絡です。対応を続けるため、引き続きご返信をお待ちしております:',
  'attempt.remaining': '{remaining, plural, =0 {今回が最後のご連絡です。} other {あと#回、1営業日に1回ずつご連絡いたします。}}',
  'attempt.closes': 'ご返信がない場合、ケースは {closesAt} にクローズされます。',
  'resolved.subject': 'ケース {ref} の解決策をご提案しました: {title}',
  'resolved.body': 'ケース {ref}「{title}」について、次の解決策をご提案しました:',
  'resolved.confirm':
    '問題が解決したかどうかをご確認ください。解決していない場合はご返信ください（返信するとケースが再開されます）。ご返信がない場合、ケースは {autoCloseAt} にクローズされます。',
  'closed.subject': 'ケース {ref} をクローズしました: {title}',
  'closed.body':
    '{reason, select, no_customer_response {{attempts, plural, other {#営業日}}にわたりご連絡いたしましたが、ご返信がなかったため、ケース {ref} をクローズしました。} confirmed {解決策をご確認いただいたため、ケース {ref} をクローズしました。} customer_request {ご依頼により、ケース {ref} をクローズしました。} resolution_timeout {解決策のご提案後にご返信がなかったため、ケース {ref} をクローズしました。} other {ケース {ref} をクローズしました。}}',
  'closed.related':
    '問題が解決しない場合や再発した場合は、新しいケースを作成し、関連ケースとして {ref} を指定してください。これまでの経緯を引き継いで対応いたします。',
  'rca.subject': 'ケース {ref}: 根本原因分析',
  'rca.body': 'ケース {ref}「{title}」の根本原因分析がまとまりました:',
  'managerAck.subject': 'ケース {ref}: マネージャーとの対話のご依頼',
  'managerAck.body':
    'ケース {ref}「{title}」について、マネージャーとの対話のご依頼を承りました。{ackDueAt} までにマネージャーからご連絡いたします。',
  'inboundClosed.subject': 'ケース {ref} はクローズされています：メッセージは追加されませんでした',
  'inboundClosed.body': 'ケース {ref}「{title}」はクローズされているため、メッセージは追加されませんでした。',
  'inboundRejected.subject': 'ケース {ref}：メッセージは追加されませんでした',
  'inboundRejected.body':
    '現在、メッセージをケース {ref}「{title}」に追加できませんでした。サポートポータルからご回答いただくか、お電話ください。',
  'inbound.automatic': 'このメッセージは自動送信されています。',
};
