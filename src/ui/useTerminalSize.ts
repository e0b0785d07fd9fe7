import { useEffect, useState } from 'react';

export function useTerminalSize(out: NodeJS.WriteStream): { cols: number; rows: number } {
  const read = () => ({ cols: out.columns || 80, rows: out.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    out.on('resize', onResize);
    return () => {
      out.off('resize', onResize);
    };
  }, [out]);
  return size;
}
