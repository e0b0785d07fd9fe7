/** First visible row so that `selected` is in view, keeping it near the middle when scrolling. Pure. */
export function scrollOffset(selected: number, count: number, visible: number): number {
  if (count <= visible) return 0;
  const half = Math.floor(visible / 2);
  return Math.max(0, Math.min(count - visible, selected - half));
}
