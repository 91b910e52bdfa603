/** One collator for every sort: localeCompare builds its own on each call, too slow for 1,000 rows per frame. */
const collator = new Intl.Collator(undefined, { numeric: true });
const byName = (a, b) => collator.compare(a.nickname, b.nickname);

/** The attendees a table view shows: filtered by nickname and state, sorted by one column. */
export function attendeeOrder(attendees, { query, show, sort, descending }) {
  const needle = query.trim().toLowerCase();
  const rows = [];
  for (const attendee of attendees) {
    if (needle && !attendee.nickname.toLowerCase().includes(needle)) continue;
    if (show === 'stuck' && !attendee.stuck && !attendee.help) continue;
    if (show === 'online' && !attendee.online) continue;
    if (show === 'offline' && attendee.online) continue;
    rows.push(attendee);
  }
  const compare = {
    nickname: byName,
    step: (a, b) => a.currentStep - b.currentStep || b.startedAt - a.startedAt,
    time: (a, b) => b.startedAt - a.startedAt,
    online: (a, b) => Number(a.online) - Number(b.online),
    stuck: (a, b) => attention(a) - attention(b) || b.startedAt - a.startedAt
  }[sort];
  rows.sort(descending ? (a, b) => compare(b, a) || byName(a, b) : (a, b) => compare(a, b) || byName(a, b));
  return rows;
}

function attention(attendee) {
  return (attendee.help ? 2 : 0) + (attendee.stuck ? 1 : 0);
}
