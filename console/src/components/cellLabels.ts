/**
 * Tables become lists on narrow screens (styles.css, `table.list-table`): each cell shows its column's
 * header as a label (`data-label`, drawn by CSS). The labels are copied from the header cells themselves,
 * so they are the same text in every language, with no second copy in the markup. Use as a ref callback:
 * `<table className="list-table" ref={labelCells}>`; it follows rows as they come and go.
 */
function label(table: HTMLTableElement): void {
  const headers = [...(table.tHead?.rows[0]?.cells ?? [])].map((th) => th.textContent?.trim() ?? '');
  for (const body of table.tBodies)
    for (const row of body.rows)
      for (const [i, cell] of [...row.cells].entries()) {
        const text = headers[i] ?? '';
        if (cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
      }
}

export function labelCells(table: HTMLTableElement | null): (() => void) | undefined {
  if (!table) return undefined;
  label(table);
  // Rows re-render live (new cases, translated headers): label again, once per frame at most.
  let frame = 0;
  const observer = new MutationObserver(() => {
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        label(table);
      });
  });
  observer.observe(table, { childList: true, subtree: true, characterData: true });
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}
