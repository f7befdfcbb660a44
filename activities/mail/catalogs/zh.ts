import type { Catalog } from './en';

export const zh: Catalog = {
  greeting: '{name}，您好：',
  signoff: '此致敬礼',
  team: '您的支持团队',
  replyHint: '如需回复，请直接回复此邮件，并在主题中保留 {ref}：您的回复将添加到该案例中。',
  'received.subject': '案例 {ref} 已受理：{title}',
  'received.body': '感谢您联系我们。我们已创建案例 {ref}“{title}”。',
  'received.due':
    '我们的首次回复将不晚于 {dueDate}（{dueWeekday, select, 1 {星期一} 2 {星期二} 3 {星期三} 4 {星期四} 5 {星期五} 6 {星期六} other {星期日}}）：{target}。',
  'received.target':
    '{unit, select, minute {{amount, plural, other {#分钟}}} hour {{amount, plural, other {#小时}}} other {{amount, plural, other {#个工作日}}}}，{clock, select, wall {全天候计算} other {按贵方工作时间计算}}',
  'received.noDue':
    '{kind, select, best_effort {您的支持计划为尽力而为服务：我们会尽快答复，但不保证响应时间。} other {此类案例没有响应时限：我们会尽快答复。}}',
  'infoRequest.subject': '案例 {ref}：需要您提供信息',
  'infoRequest.body': '为继续处理案例 {ref}“{title}”，我们需要您提供以下信息：',
  'infoRequest.schedule':
    '如果没有收到您的回复，我们将在{of, plural, other {#个不同的工作日}}再次联系您；若仍无回复，案例将于 {closesAt} 关闭。',
  'attempt.subject': '案例 {ref}：等待您的回复（第 {attempt} 次，共 {of} 次）',
  'attempt.body': '这是我们就案例 {ref}“{title}”第 {attempt} 次（共 {of} 次）尝试联系您。我们仍需要您的回复才能继续：',
  'attempt.remaining': '{remaining, plural, =0 {这是我们最后一次尝试联系您。} other {我们还将再联系您#次，每个工作日一次。}}',
  'attempt.closes': '如果没有收到您的回复，案例将于 {closesAt} 关闭。',
  'resolved.subject': '案例 {ref} 已解决：{title}',
  'resolved.body': '我们已为案例 {ref}“{title}”提出解决方案：',
  'resolved.confirm': '请确认该方案是否解决了您的问题；如未解决，请回复此邮件，回复将重新打开案例。若无回复，案例将于 {autoCloseAt} 关闭。',
  'closed.subject': '案例 {ref} 已关闭：{title}',
  'closed.body':
    '{reason, select, no_customer_response {我们在{attempts, plural, other {#个不同的工作日}}尝试联系您，但未收到回复，因此案例 {ref} 现已关闭。} confirmed {您已确认解决方案，因此案例 {ref} 现已关闭。} customer_request {案例 {ref} 已应您的要求关闭。} resolution_timeout {提出解决方案后未收到您的回复，因此案例 {ref} 现已关闭。} support {我们的支持团队已关闭案例 {ref}。} other {案例 {ref} 现已关闭。}}',
  'closed.related':
    '对此邮件的回复不会添加到已关闭的案例中。如果问题仍然存在或再次出现，请在支持门户中创建新案例：通过下方链接创建的案例会将 {ref} 设为关联案例，我们将从上次中断的地方继续处理。',
  'rca.subject': '案例 {ref}：根本原因分析',
  'rca.body': '案例 {ref}“{title}”的根本原因分析已完成：',
  'managerAck.subject': '案例 {ref}：您要求与经理沟通',
  'managerAck.body': '我们已收到您就案例 {ref}“{title}”提出的与经理沟通的请求。经理将不晚于 {ackDueAt} 与您联系。',
  'inboundClosed.subject': '案例 {ref} 已关闭：您的消息未被添加',
  'inboundClosed.body': '案例 {ref}“{title}”已关闭，因此您的消息未被添加到该案例。',
  'inboundRejected.subject': '案例 {ref}：您的消息未被添加',
  'inboundRejected.body': '目前无法将您的消息添加到案例 {ref}“{title}”。请在支持门户中回复，或致电我们。',
  'inbound.automatic': '此消息为自动发送。',
  'response.subject': '案例 {ref}：支持团队的回复',
  'response.body': '{first, select, yes {这是我们对案例 {ref}“{title}”的首次回复：} other {这是案例 {ref}“{title}”的最新进展：}}',
  caseLink: '在支持门户中查看案例',
  'closed.openRelated': '在支持门户中创建关联案例',
  'explain.wall': '计算依据：{target}，从您创建案例的时刻（{openedAt}）起计算；{zone} 的夏令时调整不会增加或减少时间。',
  'explain.business': '计算依据：{target}，仅计算您的服务时间（{hours}，时区 {zone}），从 {startsAt} 开始。',
  'explain.closedDays': '以下日期不计入（公共假日或休息日）：{days}。',
};
