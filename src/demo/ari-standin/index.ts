// The ARI stand-in's public face: a faithful stand-in for Asterisk's ARI on DAHDI trunks, for
// tests and the demo. Owns src/demo/ari-standin/** (server, routes, events, channel model, DAHDI
// naming, dial simulation, dialplan, playbacks, restart phases, control API, traffic) and the
// Swagger copy in api-docs/; bridges, recordings and the recording directory.

export { AriStandin, type AriStandinEvents, type AriStandinOptions, type StartedStandin } from './ari-standin';
export type { DtmfTiming, InboundCall } from './asterisk';
export type { ChannelJson, ChannelState } from './channel';
export { HANGUP_REASONS, NAMED_CAUSES, SOFT_HANGUP, causeText, dialStatusForCause, type DialStatus } from './causes';
export type { DialOutcome, DialRule, DtmfPress, FarEndClock, OutcomeMix, DialScriptOptions } from './dial-script';
export type { DialplanExtension, DialplanSpec } from './dialplan';
export type { MediaTiming, PlaybackJson } from './playbacks';
export type { BridgeJson } from './bridges';
export type { LiveRecordingJson } from './recordings';
export type { StoredRecordingJson } from './stored-recordings';
export { RECORDING_FORMATS, type RecordingFormat } from './audio-file';
export { ASTERISK_RESTART_PHASES, type RestartPhases } from './restart';
export { AriHttpError, StandinError, type StandinErrorCode } from './errors';
export type { TrafficGenerator, TrafficOptions, TrafficStats } from './traffic';
export { planFromHardware, planFromSite, targetsDialplan, type DahdiType, type SimpleTrunkConfig, type TrunkChannel, type TrunkGroupSpec, type TrunkPlan } from './trunk-plan';
export type { ModuleState } from './routes/asterisk-routes';
