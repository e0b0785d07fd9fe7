// Whether a process runs, asked of the kernel without touching it (signal 0). A process of
// another user counts as running (EPERM). Pure apart from that one system call.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
