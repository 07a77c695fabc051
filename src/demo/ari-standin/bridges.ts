// Stasis bridges (POST/GET/DELETE /bridges, addChannel, removeChannel, play) as res_stasis and
// res_ari's resource_bridges.c run them: a bridge made over REST belongs to no application, so
// BridgeCreated reaches only subscribeAll apps; an app is subscribed to a bridge while one of
// its channels is in it (stasis_app_exec and control_swap_channel_in_bridge count the
// interest), so it sees ChannelEnteredBridge and ChannelLeftBridge of that bridge; a bridge stays
// until DELETE even when empty, and then its channels leave (back to their Stasis app) before
// BridgeDestroyed. Adding a channel is a command on its control (after its playbacks); a channel
// going (hangup, continue) leaves its bridge first.

import { randomUUID } from 'node:crypto';
import type { SimAsterisk } from './asterisk';
import type { Channel } from './channel';
import { AriHttpError, badRequest } from './errors';
import type { PlaybackTarget } from './playbacks';
import { ariTimestamp } from './timestamp';

/** The Bridge model of bridges.json, in ast_bridge_snapshot_to_json's key order. */
export interface BridgeJson {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: string;
}

export interface BridgeKind {
  holding: boolean;
  videoMode: 'talker' | 'sfu' | 'single' | 'none';
}

/**
 * stasis_app_bridge_create's reading of `type` (default "mixing"): a comma list of the documented
 * attributes (mixing, holding, dtmf_events, proxy_media, video_sfu, video_single, sdp_label),
 * anything else ignored; mixing and holding give the capabilities, neither or both is no bridge
 * (null); the video attributes set the video mode; the others change media paths only.
 */
export function parseBridgeType(type: string | undefined): BridgeKind | null {
  const words = (type ?? 'mixing').split(',').map((w) => w.trim());
  const mixing = words.includes('mixing');
  const holding = words.includes('holding');
  if (mixing === holding) return null;
  const videoMode = words.includes('video_sfu') ? 'sfu' : words.includes('video_single') ? 'single' : mixing ? 'talker' : 'none';
  return { holding, videoMode };
}

export class Bridge {
  /** Ids of the channels in the bridge, in the order they entered. */
  readonly channels: string[] = [];
  /** App -> how many of its channels are in the bridge: the app is subscribed while > 0. */
  readonly interest = new Map<string, number>();
  private readonly creationtime: string;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: BridgeKind,
    createdAt: number,
  ) {
    this.creationtime = ariTimestamp(createdAt);
  }

  /**
   * The bridging technology Asterisk would pick (modelled): holding_bridge; a mixing bridge
   * simple_bridge for up to two channels, softmix beyond (and always with SFU video).
   */
  get technology(): string {
    if (this.kind.holding) return 'holding_bridge';
    return this.kind.videoMode === 'sfu' || this.channels.length > 2 ? 'softmix' : 'simple_bridge';
  }

  toJSON(): BridgeJson {
    return {
      id: this.id,
      technology: this.technology,
      bridge_type: this.kind.holding ? 'holding' : 'mixing',
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: this.name,
      channels: [...this.channels],
      creationtime: this.creationtime,
      video_mode: this.kind.videoMode,
    };
  }
}

export class Bridges {
  private readonly byId = new Map<string, Bridge>();
  /** Channel id -> the bridge it is in. */
  private readonly ofChannel = new Map<string, Bridge>();

  constructor(private readonly asterisk: SimAsterisk) {}

  list(): Bridge[] {
    return [...this.byId.values()];
  }

  /** find_bridge: the bridge or 404 "Bridge not found". */
  get(id: string): Bridge {
    const bridge = this.byId.get(id);
    if (!bridge) throw new AriHttpError(404, 'Bridge not found');
    return bridge;
  }

  bridgeOf(ch: Channel): Bridge | undefined {
    return this.ofChannel.get(ch.id);
  }

  /** Bridges `app` is subscribed to (one of its channels is in them). */
  idsOf(app: string): string[] {
    return this.list().filter((b) => (b.interest.get(app) ?? 0) > 0).map((b) => b.id);
  }

  /**
   * POST /bridges[/{id}]: 409 when the id is taken (ast_bridge_topic_exists), 500 when the type
   * gives no bridge (the two requests word it differently); then BridgeCreated.
   */
  create(request: { id?: string; type?: string; name?: string; withId: boolean }): Bridge {
    if (request.id !== undefined && this.byId.has(request.id)) throw new AriHttpError(409, `Bridge with id '${request.id}' already exists`);
    const kind = parseBridgeType(request.type);
    if (!kind) {
      throw new AriHttpError(500, request.withId ? 'Unable to create bridge' : `Unable to create bridge. Possible duplicate bridge id '${request.id ?? '(null)'}'`);
    }
    const bridge = new Bridge(request.id ?? randomUUID(), request.name ?? '', kind, this.asterisk.now());
    this.byId.set(bridge.id, bridge);
    // Nobody is subscribed to a bridge that has just been made: only subscribeAll apps see it.
    this.publish(bridge, 'BridgeCreated', {});
    return bridge;
  }

  /**
   * POST addChannel after the lookups (resource_bridges.c control_list_create): each channel is
   * known (else 400) and in Stasis (else 422); a recording channel refuses (409) and stops the
   * list there, the ones before it already queued. Each enters on its control's turn.
   */
  addChannels(bridge: Bridge, ids: readonly string[]): void {
    const channels = this.controlled(ids);
    for (const ch of channels) {
      if (this.asterisk.recordings.isRecording(ch)) throw new AriHttpError(409, `Channel ${ch.id} currently recording`);
      this.asterisk.playbacks.afterPlaybacks(this.asterisk.control(ch), () => this.enter(bridge, ch));
    }
  }

  /** POST removeChannel: every channel must be in this bridge (422 "Channel not in this bridge"). */
  removeChannels(bridge: Bridge, ids: readonly string[]): void {
    const channels = this.controlled(ids);
    if (channels.some((ch) => this.ofChannel.get(ch.id) !== bridge)) throw new AriHttpError(422, 'Channel not in this bridge');
    for (const ch of channels) this.asterisk.playbacks.afterPlaybacks(this.asterisk.control(ch), () => this.ofChannel.get(ch.id) === bridge && this.leave(bridge, ch));
  }

  /** DELETE: the channels leave (they stay in Stasis), its media end, then BridgeDestroyed. */
  destroy(bridge: Bridge): void {
    if (!this.byId.delete(bridge.id)) return;
    for (const id of [...bridge.channels]) {
      const ch = this.asterisk.find(id);
      if (ch) this.leave(bridge, ch);
    }
    const announcer = this.target(bridge);
    this.asterisk.playbacks.targetGone(announcer);
    this.asterisk.recordings.targetGone(announcer);
    this.publish(bridge, 'BridgeDestroyed', {});
  }

  /** A channel going (hangup, continue): it leaves its bridge first (ChannelLeftBridge). */
  channelGone(ch: Channel): void {
    const bridge = this.ofChannel.get(ch.id);
    if (bridge) this.leave(bridge, ch);
  }

  /**
   * The bridge's announcer (and recorder) control: playbacks queue on it one after another,
   * its events are forwarded to the bridge's topic, it lives as long as the bridge.
   */
  target(bridge: Bridge): PlaybackTarget {
    return {
      key: `bridge:${bridge.id}`,
      uri: `bridge:${bridge.id}`,
      get alive() {
        return true;
      },
      publish: (type, fields) => this.asterisk.hub.publish(type, fields, this.audience(bridge)),
      later: (ms, fn) => this.asterisk.later(null, ms, () => this.byId.get(bridge.id) === bridge && fn()),
      heard: () => undefined,
    };
  }

  /** Asterisk gone: bridges lost without events. */
  clear(): void {
    this.byId.clear();
    this.ofChannel.clear();
  }

  private controlled(ids: readonly string[]): (Channel & { stasisApp: string })[] {
    const wanted = ids.filter((id) => id !== '');
    if (wanted.length === 0) throw badRequest('Missing parameter channel');
    return wanted.map((id) => {
      const ch = this.asterisk.find(id);
      if (!ch) throw badRequest('Channel not found');
      if (ch.stasisApp === null) throw new AriHttpError(422, 'Channel not in Stasis application');
      return ch as Channel & { stasisApp: string };
    });
  }

  private enter(bridge: Bridge, ch: Channel): void {
    const app = ch.stasisApp;
    if (!ch.alive || app === null || this.byId.get(bridge.id) !== bridge) return;
    const current = this.ofChannel.get(ch.id);
    if (current === bridge) return;
    if (current) this.leave(current, ch);
    bridge.channels.push(ch.id);
    this.ofChannel.set(ch.id, bridge);
    // The app is subscribed before the channel enters, so it sees ChannelEnteredBridge.
    bridge.interest.set(app, (bridge.interest.get(app) ?? 0) + 1);
    this.publish(bridge, 'ChannelEnteredBridge', { channel: ch.toJSON() });
  }

  private leave(bridge: Bridge, ch: Channel): void {
    const at = bridge.channels.indexOf(ch.id);
    if (at >= 0) bridge.channels.splice(at, 1);
    this.ofChannel.delete(ch.id);
    this.publish(bridge, 'ChannelLeftBridge', { channel: ch.toJSON() });
    // ...and unsubscribed once it has left (the bridge's after-callback).
    const app = ch.stasisApp;
    if (app === null) return;
    const left = (bridge.interest.get(app) ?? 0) - 1;
    if (left > 0) bridge.interest.set(app, left);
    else bridge.interest.delete(app);
  }

  /** Who sees the bridge's topic: the apps subscribed to it and every subscribeAll app. */
  private audience(bridge: Bridge): string[] {
    return this.asterisk.hub.audience(bridge.interest.keys());
  }

  /** A bridge event: the bridge snapshot first, as ast_bridge_blob_json renders it. */
  private publish(bridge: Bridge, type: string, fields: Record<string, unknown>): void {
    this.asterisk.hub.publish(type, Object.assign({ bridge: bridge.toJSON() }, fields), this.audience(bridge));
  }
}
