import type { Catalog } from './en';

export const ja: Catalog = {
  greeting: '{name} 様',
  signoff: 'よろしくお願いいたします。',
  team: 'サポートチーム',
  replyHint: 'ご返信の際は、件名の {ref} を残したままこのメールに返信してください。返信内容はケースに追加されます。',
  'received.subject': 'ケース {ref} を受け付けました: {title}',
  'received.body': 'お問い合わせいただきありがとうございます。ケース {ref}「{title}」を作成しました。',
  'received.due':
    '初回回答の期限は {dueDate}（{dueWeekday, select, 1 {月曜日} 2 {火曜日} 3 {水曜日} 4 {木曜日} 5 {金曜日} 6 {土曜日} other {日曜日}}）です（{target}）。',
  'received.target':
    '{unit, select, minute {{amount, plural, other {#分}}} hour {{amount, plural, other {#時間}}} other {{amount, plural, other {#営業日}}}}、{clock, select, wall {24時間体制で計算} other {貴社の営業時間内で計算}}',
  'received.noDue':
    '{kind, select, best_effort {ご契約のサポートプログラムはベストエフォート対応です。できるだけ早く回答いたしますが、回答時間の保証はありません。} other {この種類のケースには回答期限がありません。できるだけ早く回答いたします。}}',
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
    '{reason, select, no_customer_response {{attempts, plural, other {#営業日}}にわたりご連絡いたしましたが、ご返信がなかったため、ケース {ref} をクローズしました。} confirmed {解決策をご確認いただいたため、ケース {ref} をクローズしました。} customer_request {ご依頼により、ケース {ref} をクローズしました。} resolution_timeout {解決策のご提案後にご返信がなかったため、ケース {ref} をクローズしました。} support {サポートチームがケース {ref} をクローズしました。} other {ケース {ref} をクローズしました。}}',
  'closed.related':
    'クローズされたケースには、このメールへの返信は追加されません。問題が続く場合や再発した場合は、サポートポータルで新しいケースを作成してください。下のリンクから作成すると {ref} が関連ケースとして設定され、前回の続きから対応いたします。',
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
  'response.subject': 'ケース {ref}: サポートチームからの回答',
  'response.body': '{first, select, yes {ケース {ref}「{title}」への初回回答です:} other {ケース {ref}「{title}」の最新情報です:}}',
  caseLink: 'サポートポータルでケースを表示',
  'closed.openRelated': 'サポートポータルで関連ケースを作成',
  'explain.wall':
    '計算の根拠: {target}。ケースを作成した時点（{openedAt}）から計算しています。{zone} の夏時間の切り替えによる増減はありません。',
  'explain.business':
    '計算の根拠: {target}。お客様のサポート対象時間（{hours}、タイムゾーン {zone}）のみを数え、{startsAt} から開始しています。',
  'explain.closedDays': '次の日は数えません（祝日または休業日）: {days}。',
};
