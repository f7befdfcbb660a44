/** The floor workflow's one local activity: a round trip through the worker and nothing else. */
export function recordOpen(id: string): Promise<string> {
  return Promise.resolve(id);
}
