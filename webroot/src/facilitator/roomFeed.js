import { openRealtime } from '../lib/realtime.svelte.js';
import { Address } from '../lib/catalogue.js';

/**
 * The live feed of a facilitator's room screens: the codelab's public, facilitator and dashboard
 * streams into the dashboard model, and each event also to the models shown beside it; on a resync
 * the room and the models that can reload read their state again.
 */
export function openRoomFeed(codelabId, room, beside = []) {
  return openRealtime({
    as: 'facilitator',
    codelabId,
    addresses: [Address.PUBLIC_EVENTS(codelabId), Address.FACILITATOR_EVENTS(codelabId), Address.DASHBOARD_EVENTS(codelabId)],
    onEvent: (event) => {
      room.onEvent(event);
      for (const model of beside) model.onEvent(event);
    },
    onSnapshot: room.onSnapshot,
    onResync: () => {
      room.reload();
      for (const model of beside) model.reload?.();
    }
  });
}
