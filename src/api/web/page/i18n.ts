// The page's own words in English and Chinese, side by side so a change to one language is made
// next to the other (the alarm explanations are not here: they come from the diag tables through
// /assets/texts.json). The language is the user's choice, else the browser's.

import type { Lang } from '../../../diagnostics/messages';

export type { Lang };

const UI = {
  title: { en: 'tdmgate status', zh: 'tdmgate 状态' },
  tokenLabel: { en: 'Access token', zh: '访问令牌' },
  signIn: { en: 'Sign in', zh: '登录' },
  signOut: { en: 'Sign out', zh: '退出' },
  loginHelp: { en: 'Paste a token made with: tdmgate token create --name NAME --role viewer', zh: '粘贴用以下命令生成的令牌：tdmgate token create --name 名称 --role viewer' },
  tokenRefused: { en: 'The server refused this token (expired, revoked or mistyped). Sign in again.', zh: '服务器拒绝了该令牌（已过期、已吊销或输入错误），请重新登录。' },
  tokenEmpty: { en: 'Enter a token.', zh: '请输入令牌。' },
  serverAway: { en: 'The server does not answer: {why}', zh: '服务器无响应：{why}' },
  live: { en: 'live', zh: '实时' },
  connecting: { en: 'connecting…', zh: '连接中…' },
  retrying: { en: 'reconnecting…', zh: '重新连接中…' },
  readOnly: { en: 'read-only', zh: '只读' },
  span: { en: 'Span {span}', zh: '第 {span} 路' },
  'in-service': { en: 'in service', zh: '正常' },
  alarm: { en: 'ALARM', zh: '告警' },
  maintenance: { en: 'maintenance', zh: '维护' },
  idle: { en: 'idle', zh: '空闲' },
  ringing: { en: 'ringing', zh: '振铃' },
  'in-call': { en: 'in call', zh: '通话中' },
  'blocked-alarm': { en: 'blocked by alarm', zh: '告警阻塞' },
  framing: { en: 'TS0 framing', zh: 'TS0 帧同步' },
  dchannel: { en: 'D-channel', zh: 'D 信道' },
  cas: { en: 'TS16 CAS signalling', zh: 'TS16 CAS 信令' },
  unused: { en: 'not configured', zh: '未配置' },
  dUp: { en: 'D-channel up', zh: 'D 信道正常' },
  dDown: { en: 'D-channel down', zh: 'D 信道中断' },
  clock: { en: 'clock: {clock}', zh: '时钟：{clock}' },
  timing: { en: 'timing priority {n}', zh: '同步优先级 {n}' },
  noErrors: { en: 'no errors', zh: '无误码' },
  notMeasured: { en: 'counters: measuring…', zh: '计数器：测量中…' },
  notReported: { en: 'not reported by the driver: {names}', zh: '驱动不提供：{names}' },
  analogPorts: { en: 'analog ports', zh: '模拟端口' },
  fxo: { en: 'FXO (exchange line)', zh: 'FXO（外线）' },
  fxs: { en: 'FXS (phone)', zh: 'FXS（话机）' },
  port: { en: 'port {n}', zh: '端口 {n}' },
  channel: { en: 'channel {n}', zh: '通道 {n}' },
  group: { en: 'group', zh: '中继组' },
  groups: { en: 'Trunk groups', zh: '中继组' },
  free: { en: 'free', zh: '空闲' },
  used: { en: 'in use', zh: '占用' },
  blocked: { en: 'blocked', zh: '阻塞' },
  reserved: { en: 'kept for inbound', zh: '保留给呼入' },
  calls: { en: 'Active calls', zh: '当前通话' },
  noCalls: { en: 'no call', zh: '无通话' },
  more: { en: '… and {n} more', zh: '……另有 {n} 个' },
  caller: { en: 'caller', zh: '主叫' },
  called: { en: 'called', zh: '被叫' },
  direction: { en: 'direction', zh: '方向' },
  inbound: { en: 'inbound', zh: '呼入' },
  outbound: { en: 'outbound', zh: '呼出' },
  duration: { en: 'duration', zh: '时长' },
  where: { en: 'span / TS', zh: '路 / 时隙' },
  target: { en: 'target', zh: '目标' },
  timeline: { en: 'Last alarms', zh: '最近告警' },
  noAlarms: { en: 'no span event since the supervisor started', zh: '监控启动以来没有线路事件' },
  backInService: { en: 'back in service', zh: '恢复正常' },
  jobs: { en: 'Queued calls (since this page opened)', zh: '队列呼叫（本页打开以来）' },
  noJobs: { en: 'no queued call dialled', zh: '没有拨出队列呼叫' },
  dialling: { en: 'dialling', zh: '拨号中' },
  campaigns: { en: 'Campaigns', zh: '外呼任务' },
  noCampaigns: { en: 'no campaign loaded', zh: '没有外呼任务' },
  status: { en: 'status', zh: '状态' },
  pending: { en: 'pending', zh: '待拨' },
  inProgress: { en: 'calling', zh: '呼叫中' },
  answered: { en: 'answered', zh: '已接通' },
  failed: { en: 'failed', zh: '失败' },
  'campaign-active': { en: 'running', zh: '进行中' },
  'campaign-paused': { en: 'paused', zh: '已暂停' },
  'campaign-cancelled': { en: 'cancelled', zh: '已取消' },
  'campaign-done': { en: 'done', zh: '已完成' },
  originate: { en: 'Place a call', zh: '发起呼叫' },
  number: { en: 'number', zh: '号码' },
  callerId: { en: 'caller ID (optional)', zh: '主叫号码（可选）' },
  targetOpt: { en: 'target (optional)', zh: '目标（可选）' },
  place: { en: 'Call', zh: '呼叫' },
  placed: { en: 'call placed: {id}', zh: '已发起呼叫：{id}' },
  refused: { en: 'refused: {why}', zh: '被拒绝：{why}' },
  legend: { en: 'Legend', zh: '图例' },
  language: { en: '中文', zh: 'English' },
} as const;

export type UiKey = keyof typeof UI;

export function pickLang(stored: string | null, browser: string): Lang {
  if (stored === 'en' || stored === 'zh') return stored;
  return browser.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Fills {name} placeholders; unknown names stay visible so a missing value is noticed. */
export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function t(lang: Lang, key: UiKey, vars?: Readonly<Record<string, string | number>>): string {
  return fill(UI[key][lang], vars);
}

/** 65 -> "1:05", 3725 -> "1:02:05". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}
