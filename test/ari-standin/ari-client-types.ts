// The slice of ari-client 2.2.0 the stand-in tests drive (the package ships no types). The
// supervisor keeps its own adapter; this is only what these tests call.

import { createRequire } from 'node:module';

export interface AriEvent {
  type: string;
  application: string;
  timestamp: string;
  [key: string]: unknown;
}

export interface AriChannelJson {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
}

export interface AriPlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: string;
}

export interface AriBridgeJson {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode?: string;
}

export interface AriLiveRecordingJson {
  name: string;
  format: string;
  state: string;
  target_uri: string;
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

export interface AriStoredRecordingJson {
  name: string;
  format: string;
}

export interface AriClient {
  start(apps: string | string[], subscribeAll?: boolean): Promise<void>;
  stop(): void;
  on(event: string, listener: (event: AriEvent, resource?: unknown) => void): void;
  removeAllListeners(event?: string): void;
  channels: {
    list(): Promise<AriChannelJson[]>;
    get(p: { channelId: string }): Promise<AriChannelJson>;
    originate(p: Record<string, unknown>): Promise<AriChannelJson & { id: string }>;
    hangup(p: { channelId: string; reason?: string; reason_code?: string }): Promise<void>;
    answer(p: { channelId: string }): Promise<void>;
    continueInDialplan(p: { channelId: string; context?: string; extension?: string; priority?: number }): Promise<void>;
    getChannelVar(p: { channelId: string; variable: string }): Promise<{ value: string }>;
    play(p: { channelId: string; media: string | string[]; playbackId?: string; lang?: string }): Promise<AriPlaybackJson>;
    sendDTMF(p: { channelId: string; dtmf?: string; between?: number; duration?: number }): Promise<void>;
    hold(p: { channelId: string }): Promise<void>;
    record(p: { channelId: string; name: string; format: string; maxDurationSeconds?: number; maxSilenceSeconds?: number; ifExists?: string; beep?: boolean; terminateOn?: string }): Promise<AriLiveRecordingJson>;
    setChannelVar(p: { channelId: string; variable: string; value?: string }): Promise<void>;
  };
  asterisk: {
    getInfo(p?: { only?: string }): Promise<{ status: { startup_time: string }; system: { version: string } }>;
    reloadModule(p: { moduleName: string }): Promise<void>;
  };
  applications: { list(): Promise<{ name: string }[]> };
  playbacks: {
    get(p: { playbackId: string }): Promise<AriPlaybackJson>;
    stop(p: { playbackId: string }): Promise<void>;
  };
  bridges: {
    list(): Promise<AriBridgeJson[]>;
    get(p: { bridgeId: string }): Promise<AriBridgeJson>;
    create(p?: { type?: string; bridgeId?: string; name?: string }): Promise<AriBridgeJson>;
    createWithId(p: { bridgeId: string; type?: string; name?: string }): Promise<AriBridgeJson>;
    destroy(p: { bridgeId: string }): Promise<void>;
    addChannel(p: { bridgeId: string; channel: string | string[]; role?: string; absorbDTMF?: boolean; mute?: boolean }): Promise<void>;
    removeChannel(p: { bridgeId: string; channel: string | string[] }): Promise<void>;
    play(p: { bridgeId: string; media: string | string[]; playbackId?: string }): Promise<AriPlaybackJson>;
    record(p: { bridgeId: string; name: string; format: string; maxDurationSeconds?: number; terminateOn?: string }): Promise<AriLiveRecordingJson>;
  };
  recordings: {
    getLive(p: { recordingName: string }): Promise<AriLiveRecordingJson>;
    cancel(p: { recordingName: string }): Promise<void>;
    stop(p: { recordingName: string }): Promise<void>;
    pause(p: { recordingName: string }): Promise<void>;
    unpause(p: { recordingName: string }): Promise<void>;
    mute(p: { recordingName: string }): Promise<void>;
    unmute(p: { recordingName: string }): Promise<void>;
    listStored(): Promise<AriStoredRecordingJson[]>;
    getStored(p: { recordingName: string }): Promise<AriStoredRecordingJson>;
    deleteStored(p: { recordingName: string }): Promise<void>;
    copyStored(p: { recordingName: string; destinationRecordingName: string }): Promise<AriStoredRecordingJson>;
  };
  endpoints: { listByTech(p: { tech: string }): Promise<unknown[]> };
}

interface AriModule {
  connect(url: string, user: string, password: string): Promise<AriClient>;
}

const requireFromHere = createRequire(__filename);
export const ari = requireFromHere('ari-client') as AriModule;
