// The chan_dahdi.conf keys tdmgate knows, with the section each belongs in and chan_dahdi's own
// default (as Asterisk's chan_dahdi.conf.sample documents it). The site file's `chanDahdi:`
// escape hatch takes only these keys; the generator writes a key's default into the blocks that
// do not set it (chan_dahdi carries settings over from one `channel =>` line to the next); import
// carries them back. Keys tdmgate models itself name the site-file field to use instead, so there
// is one way to say a thing.

/**
 * channel: read per channel, so it goes in each span's or port's block in [channels];
 * global: one value for the whole driver (the last one read wins), written once at the top of
 * [channels]; trunkgroups: the [trunkgroups] section (NFAS), which the site model has no place for.
 */
export type ChanDahdiScope = 'channel' | 'global' | 'trunkgroups';

export interface ChanDahdiKey {
  scope: ChanDahdiScope;
  /** chan_dahdi's value when the key is not set; what a block that does not set it writes. */
  default: string;
  /** The site-file field that says this already; the escape hatch refuses the key. */
  modelledBy?: string;
}

const ch = (def: string, modelledBy?: string): ChanDahdiKey => (modelledBy === undefined ? { scope: 'channel', default: def } : { scope: 'channel', default: def, modelledBy });
const global = (def: string): ChanDahdiKey => ({ scope: 'global', default: def });

export const CHAN_DAHDI_KEYS: Readonly<Record<string, ChanDahdiKey>> = {
  // Written by tdmgate from the site model.
  signalling: ch('auto', 'signalling (span) or type and start (port)'),
  switchtype: ch('national', 'switchtype'),
  group: ch('', 'group'),
  context: ch('default', 'groups[].context or defaultContext'),
  hidecallerid: ch('no', 'groups[].presentation'),
  usecallingpres: ch('no', 'groups[].presentation'),
  echocancel: ch('no', 'echoCanceller (site or card)'),
  echocancelwhenbridged: ch('no', 'echoCancelWhenBridged (site or card)'),
  channel: ch('', 'spans and ports (tdmgate lays channels out)'),
  dahdichan: ch('', 'spans and ports (tdmgate lays channels out)'),
  mfcr2_variant: ch('itu', 'mfcr2.variant'),
  mfcr2_category: ch('national_subscriber', 'mfcr2.category'),
  mfcr2_max_ani: ch('10', 'mfcr2.maxAni'),
  mfcr2_max_dnis: ch('4', 'mfcr2.maxDnis'),
  // Modelled options (line-options.ts).
  pridialplan: ch('unknown', 'priDialplan'),
  prilocaldialplan: ch('national', 'priLocalDialplan'),
  // '' where chan_dahdi's default is "OpenR2's choice for the variant" (-1), which no value restores.
  mfcr2_get_ani_first: ch('', 'mfcr2.getAniFirst'),
  mfcr2_mfback_timeout: ch('-1', 'mfcr2.mfbackTimeout'),
  mfcr2_logdir: ch('', 'mfcr2.logdir'),
  mfcr2_call_files: ch('no', 'mfcr2.callFiles'),
  mfcr2_logging: ch('error,warning', 'mfcr2.logging'),
  busydetect: ch('no', 'busyDetect'),
  busycount: ch('3', 'busyCount'),
  busypattern: ch('', 'busyPattern'),
  cidsignalling: ch('bell', 'cidSignalling'),
  cidstart: ch('ring', 'cidStart'),
  // An empty callgroup=/pickupgroup= does not clear an earlier one (chan_dahdi.conf.sample); none does.
  callgroup: ch('none', 'callGroup'),
  pickupgroup: ch('none', 'pickupGroup'),
  // Per-channel keys for the escape hatch.
  language: ch(''),
  msn: ch(''),
  nsf: ch('none'),
  service_message_support: ch('no'),
  pricpndialplan: ch('from_channel'),
  internationalprefix: ch(''),
  nationalprefix: ch(''),
  localprefix: ch(''),
  privateprefix: ch(''),
  unknownprefix: ch(''),
  resetinterval: ch('never'),
  force_restart_unavailable_chans: ch('no'),
  inband_on_setup_ack: ch('no'),
  inband_on_proceeding: ch('no'),
  overlapdial: ch('no'),
  display_send: ch(''),
  display_receive: ch(''),
  mcid_send: ch('no'),
  datetime_send: ch(''),
  colp_send: ch('update'),
  inbanddisconnect: ch('no'),
  hold_disconnect_transfer: ch('no'),
  layer1_presence: ch('required'),
  layer2_persistence: ch(''),
  priindication: ch('inband'),
  priexclusive: ch('no'),
  qsigchannelmapping: ch('physical'),
  discardremoteholdretrieval: ch('no'),
  facilityenable: ch('no'),
  aoc_enable: ch(''),
  aoce_delayhangup: ch('no'),
  outsignalling: ch(''),
  defaultozz: ch(''),
  defaultcic: ch(''),
  prewink: ch('-1'),
  preflash: ch('-1'),
  wink: ch('-1'),
  flash: ch('-1'),
  start: ch('-1'),
  rxwink: ch('-1'),
  rxflash: ch('-1'),
  debounce: ch('-1'),
  distinctiveringaftercid: ch('no'),
  usecallerid: ch('yes'),
  dtmfcidlevel: ch('256'),
  hidecalleridname: ch('no'),
  waitfordialtone: ch('0'),
  dialtone_detect: ch('no'),
  mwimonitor: ch('no'),
  mwilevel: ch('512'),
  mwisendtype: ch(''),
  callwaiting: ch('no'),
  max_call_waiting_calls: ch('0'),
  allow_call_waiting_calls: ch('no'),
  mwi_mailboxes: ch(''),
  mwi_vm_boxes: ch(''),
  mwi_vm_numbers: ch(''),
  sendcalleridafter: ch('1'),
  callwaitingcallerid: ch('no'),
  calledsubscriberheld: ch('no'),
  threewaycalling: ch('no'),
  threewaysilenthold: ch('no'),
  transfer: ch('no'),
  canpark: ch('no'),
  parkinglot: ch(''),
  cancallforward: ch('no'),
  callreturn: ch('no'),
  lastnumredial: ch('no'),
  mailbox: ch(''),
  echotraining: ch('no'),
  relaxdtmf: ch('no'),
  hwrxgain: ch('disabled'),
  hwtxgain: ch('disabled'),
  rxgain: ch('0.0'),
  txgain: ch('0.0'),
  cid_rxgain: ch('5.0'),
  rxdrc: ch('0.0'),
  txdrc: ch('0.0'),
  namedcallgroup: ch(''),
  namedpickupgroup: ch(''),
  immediate: ch('no'),
  immediatering: ch('yes'),
  transfertobusy: ch('yes'),
  cid_tag: ch(''),
  append_msn_to_cid_tag: ch('no'),
  callerid: ch(''),
  cid_number: ch(''),
  fullname: ch(''),
  useincomingcalleridondahditransfer: ch('no'),
  description: ch(''),
  amaflags: ch(''),
  accountcode: ch(''),
  adsi: ch('no'),
  usesmdi: ch('no'),
  smdiport: ch('/dev/ttyS0'),
  answeronpolarityswitch: ch('no'),
  hanguponpolarityswitch: ch('no'),
  polarityonanswerdelay: ch('600'),
  autoreoriginate: ch('no'),
  callprogress: ch('no'),
  progzone: ch('us'),
  tonezone: ch('-1'),
  ani_info_digits: ch('2'),
  ani_wink_time: ch('1000'),
  ani_timeout: ch('10000'),
  ringtimeout: ch('8000'),
  pulsedial: ch('no'),
  dialmode: ch('both'),
  faxdetect: ch('no'),
  faxdetect_timeout: ch('0'),
  faxbuffers: ch(''),
  firstdigit_timeout: ch('16000'),
  interdigit_timeout: ch('8000'),
  matchdigit_timeout: ch('3000'),
  buffers: ch('4,immediate'),
  moh_signaling: ch('moh'),
  mohinterpret: ch('default'),
  mohsuggest: ch(''),
  idledial: ch(''),
  idleext: ch(''),
  minunused: ch('2'),
  minidle: ch('1'),
  reportalarms: ch('channels'),
  stripmsd: ch('0'),
  mfcr2_metering_pulse_timeout: ch('-1'),
  mfcr2_allow_collect_calls: ch('no'),
  mfcr2_double_answer: ch('no'),
  mfcr2_immediate_accept: ch(''),
  mfcr2_accept_on_offer: ch('yes'),
  mfcr2_skip_category: ch(''),
  mfcr2_advanced_protocol_file: ch(''),
  mfcr2_forced_release: ch('no'),
  mfcr2_charge_calls: ch('yes'),
  // One value for the whole driver.
  toneduration: global('100'),
  usedistinctiveringdetection: global('no'),
  ignore_failed_channels: global('yes'),
  jitterbuffers: global('4'),
  jbenable: global('no'),
  jbmaxsize: global('200'),
  jbresyncthreshold: global('1000'),
  jbimpl: global('fixed'),
  jbtargetextra: global('40'),
  jblog: global('no'),
  mwimonitornotify: global(''),
  // NFAS: [trunkgroups], not in the site model.
  trunkgroup: { scope: 'trunkgroups', default: '' },
  spanmap: { scope: 'trunkgroups', default: '' },
};

/** chan_dahdi reads these as booleans (ast_true): yes/true/on/1 and no/false/off/0 say the same. */
const TRUE_WORDS = ['yes', 'true', 'y', 't', '1', 'on'];
const FALSE_WORDS = ['no', 'false', 'n', 'f', '0', 'off'];

export function chanDahdiKey(key: string): ChanDahdiKey | undefined {
  return Object.prototype.hasOwnProperty.call(CHAN_DAHDI_KEYS, key) ? CHAN_DAHDI_KEYS[key] : undefined;
}

/**
 * A value as tdmgate writes it: a yes/no key's boolean words become yes/no, others are trimmed.
 * Two spellings of one setting then compare equal (callwaiting=1 is callwaiting=yes).
 */
export function normalizeValue(key: string, value: string): string {
  const v = value.trim();
  const def = chanDahdiKey(key)?.default;
  if (def !== 'yes' && def !== 'no') return v;
  const lower = v.toLowerCase();
  if (TRUE_WORDS.includes(lower)) return 'yes';
  if (FALSE_WORDS.includes(lower)) return 'no';
  return v;
}

/** True when the value is what chan_dahdi does without the key: nothing to write or carry. */
export function isDefault(key: string, value: string): boolean {
  const known = chanDahdiKey(key);
  return known !== undefined && normalizeValue(key, value).toLowerCase() === known.default.toLowerCase();
}
