// The TrunkMap's public face for the supervisor, the API and the CLI.

export { TrunkMap, type TrunkMapOptions, type TrunkMapLogger, type GroupRef, type GroupCapacity } from './trunk-map';
export { SPAN_AVAILABILITY, type SpanAvailability } from './span-condition';
export type { DialAttempt } from './attempts';
export { TrunkMapError, isTrunkMapError, type TrunkMapErrorCode } from './errors';
export type * from './events';
export type { ChannelSnapshot, GroupSnapshot, SpanSnapshot, TrunkMapSnapshot, StateCounts } from './snapshot';
export { CHANNEL_STATES, CHANNEL_EVENTS, TRANSITIONS, checkTransitionTable, type ChannelState, type ChannelEvent, type Transition } from './channel-states';
export { parseChannelName, formatDialString, formatChannelName, formatIsdnChannelName, type ParsedChannelName, type GroupDial, type NameResult } from './channel-names';
export type { ResolvedChannel, ResolveHint } from './resolve';
export { DEFAULT_ALARM_POLICY, BLOCKING_ALARMS, type AlarmPolicy } from './alarm-policy';
export type { Clock } from '../../clock';
