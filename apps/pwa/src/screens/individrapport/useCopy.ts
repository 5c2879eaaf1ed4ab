import { useEffect, useRef, useState } from 'react';

/** The last copy: which button (key), what a screen reader hears, and whether it failed. */
export type Copied = { key: string; message: string; failed: boolean } | null;

/**
 * Copying a field's text to the clipboard. The button shows "Kopierat" for a moment; a failed copy
 * (no clipboard, a refused permission) says so until the next copy, since the text is still on
 * screen to select by hand.
 */
export function useCopy() {
  const [copied, setCopied] = useState<Copied>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function copy(key: string, label: string, text: string) {
    if (timer.current) clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ key, message: `Kopierat: ${label}`, failed: false });
    } catch {
      setCopied({
        key,
        message: `${label} kunde inte kopieras. Markera texten och kopiera den själv.`,
        failed: true,
      });
    }
    timer.current = setTimeout(
      () => setCopied((c) => (c && !c.failed ? { ...c, key: '' } : c)),
      2500,
    );
  }

  /** The key of the button that shows "Kopierat" now, or null. */
  const copiedKey = copied && !copied.failed && copied.key !== '' ? copied.key : null;
  return { copied, copiedKey, copy };
}
