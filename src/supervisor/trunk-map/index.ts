// The TrunkMap's public face for the supervisor, the API and the CLI.

export { TrunkMap, type TrunkMapOptions, type TrunkMapLogger, type GroupRef, type PickOptions } from './trunk-map';
export { TrunkMapError, isTrunkMapError, type TrunkMapErrorCode } from './errors';
export type * from './events';
export type { ChannelSnapshot, GroupSnapshot, SpanSnapshot, TrunkMapSnapshot, StateCounts } from './snapshot';
export { CHANNEL_STATES, CHANNEL_EVENTS, TRANSITIONS, checkTransitionTable, type ChannelState, type ChannelEvent, type Transition } from './channel-states';
export { parseChannelName, parseDialString, formatDialString, formatChannelName, formatIsdnChannelName, HUNT_LETTERS, type ParsedChannelName, type DialTarget, type NameResult } from './channel-names';
export type { ResolvedChannel, ResolvedDial, ResolveHint } from './resolve';
export { DEFAULT_ALARM_POLICY, BLOCKING_ALARMS, type AlarmPolicy } from './alarm-policy';
export type { Clock } from '../../clock';
