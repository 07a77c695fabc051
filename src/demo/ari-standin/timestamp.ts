// Asterisk's ARI time format: ast_json_timeval renders "%FT%T.%q%z", e.g.
// 2026-01-01T00:00:00.000+0000. The stand-in always speaks UTC.

export function ariTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  return `${iso.slice(0, -1)}+0000`;
}
