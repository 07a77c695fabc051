// The technician-facing text of diagnostics, English and Chinese side by side so a change to
// one language is made next to the other. Placeholders are {name}, filled by formatText().

export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

export type FindingKey =
  | 'los'
  | 'lfa'
  | 'lmfa'
  | 'crc4-mismatch'
  | 'yellow'
  | 'blue'
  | 'recover'
  | 'loopback'
  | 'notopen'
  | 'slips'
  | 'irqmisses'
  | 'ebit'
  | 'line-errors'
  | 'not-reported'
  | 'ok';

export interface FindingText {
  title: string;
  meaning: string;
  cause: string;
  next: string;
}

export const FINDING_TEXT: Record<FindingKey, Record<Lang, FindingText>> = {
  los: {
    en: {
      title: 'RED alarm / LOS: no signal received',
      meaning: 'Span {span} receives nothing it can use from the line ({alarms}); no call can pass.',
      cause: 'Cable unplugged or broken, wrong port on the patch panel, RX/TX pairs swapped, or the carrier is not sending.',
      next: 'Check the cable and the patch panel (RJ48 pins 1-2 receive, 4-5 transmit); plug a loop plug to test the port (tdmgate diag loopback {span} --mode local); if the port is good, call the carrier.',
    },
    zh: {
      title: '红色告警 / LOS：收不到信号',
      meaning: '第 {span} 路 E1/T1 从线路上收不到可用信号（{alarms}），无法通话。',
      cause: '线缆未插好或损坏、配线架跳错端口、收发线对接反，或运营商没有发送信号。',
      next: '检查线缆和配线架（RJ48 第 1-2 脚为收、第 4-5 脚为发）；用自环头测试端口（tdmgate diag loopback {span} --mode local）；端口正常则联系运营商。',
    },
  },
  lfa: {
    en: {
      title: 'RED alarm / LFA: frame alignment lost',
      meaning: 'Span {span} receives a signal but cannot find the frame structure in it ({alarms}).',
      cause: 'Framing or CRC-4 setting differs from the carrier (E1: CRC-4 on/off; T1: ESF vs D4), or line coding differs (HDB3/AMI, B8ZS/AMI).',
      next: 'Compare framing, coding and CRC-4 in /etc/dahdi/system.conf with what the carrier provisioned (current: {lineconfig}); change one setting at a time and run dahdi_cfg.',
    },
    zh: {
      title: '红色告警 / LFA：帧失步',
      meaning: '第 {span} 路收到信号，但找不到帧结构（{alarms}）。',
      cause: '成帧方式或 CRC-4 设置与运营商不一致（E1：CRC-4 开/关；T1：ESF 或 D4），或线路码型不一致（HDB3/AMI、B8ZS/AMI）。',
      next: '对照运营商开通的参数检查 /etc/dahdi/system.conf 中的成帧、码型和 CRC-4（当前：{lineconfig}）；每次只改一项，然后执行 dahdi_cfg。',
    },
  },
  lmfa: {
    en: {
      title: 'LMFA: CRC-4 multiframe alignment lost',
      meaning: 'Span {span} finds the frames but not the CRC-4 multiframe.',
      cause: 'CRC-4 is on here but off at the carrier (or the reverse).',
      next: 'Ask the carrier whether CRC-4 is enabled and set crc4 in /etc/dahdi/system.conf to match (current: {lineconfig}); then run dahdi_cfg.',
    },
    zh: {
      title: 'LMFA：CRC-4 复帧失步',
      meaning: '第 {span} 路能找到帧，但找不到 CRC-4 复帧。',
      cause: '本端开启了 CRC-4 而运营商未开启（或相反）。',
      next: '向运营商确认是否启用 CRC-4，并修改 /etc/dahdi/system.conf 中的 crc4 使之一致（当前：{lineconfig}）；然后执行 dahdi_cfg。',
    },
  },
  'crc4-mismatch': {
    en: {
      title: 'CRC-4 setting probably differs from the carrier',
      meaning: 'Span {span} shows no alarm, but framing errors keep rising on a CRC-4 span ({counters}) - the sign dahdi_scan reports as LMFA.',
      cause: 'CRC-4 is on here but off at the carrier (or the reverse).',
      next: 'Ask the carrier whether CRC-4 is enabled and set crc4 in /etc/dahdi/system.conf to match (current: {lineconfig}); then run dahdi_cfg.',
    },
    zh: {
      title: 'CRC-4 设置可能与运营商不一致',
      meaning: '第 {span} 路没有告警，但在开启 CRC-4 的线路上帧错误持续增加（{counters}），dahdi_scan 会将此报为 LMFA。',
      cause: '本端开启了 CRC-4 而运营商未开启（或相反）。',
      next: '向运营商确认是否启用 CRC-4，并修改 /etc/dahdi/system.conf 中的 crc4 使之一致（当前：{lineconfig}）；然后执行 dahdi_cfg。',
    },
  },
  yellow: {
    en: {
      title: 'YELLOW alarm / RAI: the far end does not see us',
      meaning: 'We receive the line correctly, but the far end reports that it gets no usable signal from span {span}.',
      cause: 'Our transmit pair: broken or swapped TX wires, a bad patch cord, or a framing mismatch seen only by the far end.',
      next: 'Check our transmit pair (RJ48 pins 4-5) and the patch cord; ask the carrier what they receive from us.',
    },
    zh: {
      title: '黄色告警 / RAI：对端收不到我们的信号',
      meaning: '本端接收正常，但对端报告收不到第 {span} 路发出的可用信号。',
      cause: '本端发送线对问题：发送线断开或接反、跳线不良，或只有对端能看到的成帧不一致。',
      next: '检查本端发送线对（RJ48 第 4-5 脚）和跳线；请运营商确认他们收到的信号。',
    },
  },
  blue: {
    en: {
      title: 'BLUE alarm / AIS: upstream failure',
      meaning: 'Span {span} receives all ones: a segment between us and the exchange has failed and is signalling it.',
      cause: 'A fault in the carrier network, not at this site.',
      next: 'Call the carrier and report AIS on this circuit; nothing to change here.',
    },
    zh: {
      title: '蓝色告警 / AIS：上游故障',
      meaning: '第 {span} 路收到全 1 信号：本端与交换机之间的某一段线路出现故障。',
      cause: '运营商网络故障，不在本地。',
      next: '联系运营商，报告该电路出现 AIS 告警；本地无需修改。',
    },
  },
  recover: {
    en: {
      title: 'RECOVER: alarm just cleared',
      meaning: 'Span {span} came out of alarm and is waiting out the recovery interval before carrying calls.',
      cause: 'A line fault that has just been fixed, or an alarm that comes and goes.',
      next: 'Wait a few seconds and check again; if the span keeps returning to alarm, watch it with tdmgate diag watch.',
    },
    zh: {
      title: 'RECOVER：告警刚刚消除',
      meaning: '第 {span} 路刚退出告警状态，正在等待恢复时间结束后才能通话。',
      cause: '线路故障刚被修复，或告警时有时无。',
      next: '稍等几秒后再检查；如果反复进入告警，用 tdmgate diag watch 持续观察。',
    },
  },
  loopback: {
    en: {
      title: 'LOOPBACK: span is in a maintenance loop',
      meaning: 'Span {span} is looped back and carries no calls.',
      cause: 'A loopback test left running (dahdi_maint, tdmgate diag loopback) or a loop requested by the carrier.',
      next: 'If no test is running, clear it: dahdi_maint -s {span} -l off.',
    },
    zh: {
      title: 'LOOPBACK：处于维护环回状态',
      meaning: '第 {span} 路处于环回状态，不能通话。',
      cause: '环回测试未结束（dahdi_maint、tdmgate diag loopback），或运营商发起了环回。',
      next: '如果没有正在进行的测试，执行 dahdi_maint -s {span} -l off 解除环回。',
    },
  },
  notopen: {
    en: {
      title: 'NOTOPEN: configured but not opened',
      meaning: 'Span {span} is configured in DAHDI but no program has opened its channels.',
      cause: 'Asterisk is not running, or chan_dahdi.conf does not use these channels.',
      next: 'Check that Asterisk runs (asterisk -rx "dahdi show status") and that chan_dahdi.conf lists the channels of span {span}.',
    },
    zh: {
      title: 'NOTOPEN：已配置但未打开',
      meaning: '第 {span} 路已在 DAHDI 中配置，但没有程序打开它的通道。',
      cause: 'Asterisk 没有运行，或 chan_dahdi.conf 中没有使用这些通道。',
      next: '确认 Asterisk 正在运行（asterisk -rx "dahdi show status"），并检查 chan_dahdi.conf 是否包含第 {span} 路的通道。',
    },
  },
  slips: {
    en: {
      title: 'Timing slips rising',
      meaning: 'Span {span} and the line run on different clocks ({counters}); calls get clicks and PRI links may drop.',
      cause: 'Wrong clock source or timing priorities: this host takes clock from {sync}.',
      next: 'In /etc/dahdi/system.conf give each span facing the carrier (CPE) timing priority 1, 2, ... so the card takes clock from the network; use 0 only for NET-side spans; then run dahdi_cfg.',
    },
    zh: {
      title: '滑帧计数在增加',
      meaning: '第 {span} 路与线路的时钟不同步（{counters}），通话会有咔嗒声，PRI 链路可能中断。',
      cause: '时钟源或同步优先级设置错误：本机当前时钟取自 {sync}。',
      next: '在 /etc/dahdi/system.conf 中，把面向运营商（CPE 侧）的各路同步优先级设为 1、2……，让板卡从网络取时钟；只有 NET 侧线路才设 0；然后执行 dahdi_cfg。',
    },
  },
  irqmisses: {
    en: {
      title: 'IRQ misses rising',
      meaning: 'The host did not service the card in time ({counters}); audio and signalling get lost.',
      cause: 'High host load, or the card shares its interrupt with a busy device (disk, network, USB).',
      next: 'Check cat /proc/interrupts for a shared IRQ line and top for load; move the card to another slot or free its interrupt.',
    },
    zh: {
      title: '中断丢失计数在增加',
      meaning: '主机没有及时响应板卡（{counters}），会丢失语音和信令。',
      cause: '主机负载过高，或板卡与繁忙设备（硬盘、网卡、USB）共用中断。',
      next: '查看 cat /proc/interrupts 是否共享中断、用 top 查看负载；将板卡换到其他插槽或让其独占中断。',
    },
  },
  ebit: {
    en: {
      title: 'E-bit errors rising: the far end sees our CRC errors',
      meaning: 'The far end reports CRC-4 errors in what span {span} transmits ({counters}).',
      cause: 'Noise or a bad contact on our transmit pair, or a clock problem on our side.',
      next: 'Check our transmit pair and the patch cord; check the clock source (timing priorities in /etc/dahdi/system.conf).',
    },
    zh: {
      title: 'E 比特错误在增加：对端收到我们的 CRC 错误',
      meaning: '对端报告第 {span} 路发出的信号有 CRC-4 错误（{counters}）。',
      cause: '本端发送线对有干扰或接触不良，或本端时钟有问题。',
      next: '检查本端发送线对和跳线；检查时钟源（/etc/dahdi/system.conf 中的同步优先级）。',
    },
  },
  'line-errors': {
    en: {
      title: 'Line errors rising',
      meaning: 'Span {span} receives damaged bits ({counters}).',
      cause: 'Cable, impedance or noise: a long or poor cable, wrong line build-out (LBO), 75/120 ohm mismatch, or a bad connector.',
      next: 'Reseat or replace the cable and the patch cord, check the impedance setting and the LBO in /etc/dahdi/system.conf (current LBO: {lbo}); if it persists, ask the carrier to test the circuit.',
    },
    zh: {
      title: '线路误码在增加',
      meaning: '第 {span} 路收到的数据有误码（{counters}）。',
      cause: '线缆、阻抗或干扰：线缆过长或质量差、线路建立（LBO）设置不对、75/120 欧阻抗不匹配，或接头不良。',
      next: '重新插拔或更换线缆和跳线，检查 /etc/dahdi/system.conf 中的阻抗和 LBO 设置（当前 LBO：{lbo}）；仍有问题请运营商测试电路。',
    },
  },
  'not-reported': {
    en: {
      title: 'Some counters are not reported by this driver',
      meaning: 'The {driver} driver never fills these counters (spans {spans}): {counters}. They are unknown, not zero.',
      cause: 'The driver does not implement them.',
      next: 'Use the vendor tool for these counters (Sangoma: wanpipemon -i <interface> -c Ta).',
    },
    zh: {
      title: '部分计数器本驱动不提供',
      meaning: '{driver} 驱动不填写这些计数器（第 {spans} 路）：{counters}。它们的值未知，并不是 0。',
      cause: '驱动没有实现这些计数器。',
      next: '用厂商工具查看这些计数器（Sangoma：wanpipemon -i <接口> -c Ta）。',
    },
  },
  ok: {
    en: {
      title: 'No problem seen',
      meaning: 'Span {span} has no alarm and no error counter rising.',
      cause: '-',
      next: '-',
    },
    zh: {
      title: '未发现问题',
      meaning: '第 {span} 路没有告警，误码计数没有增加。',
      cause: '-',
      next: '-',
    },
  },
};

export type LabelKey = 'span' | 'meaning' | 'cause' | 'next' | 'alarm' | 'warning' | 'info' | 'noRates' | 'freeRun' | 'span-clock' | 'none';

export const LABELS: Record<LabelKey, Record<Lang, string>> = {
  span: { en: 'Span {span}', zh: '第 {span} 路' },
  meaning: { en: 'Meaning', zh: '含义' },
  cause: { en: 'Likely cause', zh: '可能原因' },
  next: { en: 'Next step', zh: '下一步' },
  alarm: { en: 'ALARM', zh: '告警' },
  warning: { en: 'WARNING', zh: '警告' },
  info: { en: 'INFO', zh: '信息' },
  noRates: {
    en: 'Counter rates not measured (window 0 s): only alarms are judged.',
    zh: '未测量计数器增长速率（观察窗口 0 秒）：只判断告警。',
  },
  freeRun: { en: 'its own oscillator (free run)', zh: '本机晶振（自由振荡）' },
  'span-clock': { en: 'span {sync}', zh: '第 {sync} 路' },
  none: { en: 'none', zh: '无' },
};

/** Fills {name} placeholders; unknown names stay visible so a missing value is noticed. */
export function formatText(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function label(key: LabelKey, lang: Lang, vars: Readonly<Record<string, string | number>> = {}): string {
  return formatText(LABELS[key][lang], vars);
}
