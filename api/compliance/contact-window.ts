/**
 * The contact window: Regulation F (§1006.6(b)(1)(i)) presumes a time before 8 am or after 9 pm at
 * the consumer's location inconvenient. A message may go out when the local time is inside the
 * window in every zone the address may be in; otherwise it waits for the first moment it is.
 */
const OPEN_HOUR = 8;
const CLOSE_HOUR = 21;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local hour and minute in a zone (Intl handles daylight saving time). */
function localTime(at: Date, zone: string): { hour: number; minute: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get('hour'), minute: get('minute') };
}

export function isInsideWindow(at: Date, zones: readonly string[]): boolean {
  return zones.every((zone) => {
    const { hour } = localTime(at, zone);
    return hour >= OPEN_HOUR && hour < CLOSE_HOUR;
  });
}

/**
 * The first moment at or after `at` inside the window in every zone. US zone offsets are whole
 * hours, so the window can only open on a whole UTC hour: checking those is exact.
 * Returns null when no such moment exists within two days (no set of US zones is that far apart).
 */
export function nextWindowOpening(at: Date, zones: readonly string[]): Date | null {
  if (isInsideWindow(at, zones)) return at;
  const firstHour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let t = firstHour; t <= at.getTime() + 48 * HOUR_MS; t += HOUR_MS) {
    const candidate = new Date(t);
    if (isInsideWindow(candidate, zones)) return candidate;
  }
  return null;
}

/** For records and messages: the local time in the first zone, e.g. "22:15 America/Chicago". */
export function describeLocalTime(at: Date, zones: readonly string[]): string {
  return zones
    .map((zone) => {
      const { hour, minute } = localTime(at, zone);
      return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} ${zone}`;
    })
    .join(', ');
}
