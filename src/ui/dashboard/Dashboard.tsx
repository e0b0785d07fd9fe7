import React from 'react';
import { Box } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../dashboard/store.js';
import { ConfirmDialog } from '../detail/ConfirmDialog.js';
import { Detail } from '../detail/Detail.js';
import { MaintView } from '../detail/MaintView.js';
import { ProjectPanelView } from '../detail/ProjectPanelView.js';
import { ContainerTable } from './ContainerTable.js';
import { Footer } from './Footer.js';
import { GpuPanel } from './GpuPanel.js';
import { Header } from './Header.js';
import { Help } from './Help.js';
import { ProjectList } from './ProjectList.js';

/** Width of the project panel for a terminal `cols` wide. */
export function projectPanelWidth(cols: number): number {
  return Math.max(18, Math.min(30, Math.floor(cols * 0.2)));
}

/**
 * The whole dashboard. `rows` is the terminal height; the root is one row shorter, since
 * Ink 6 redraws a frame as tall as the terminal from a cleared screen on every update.
 */
export function Dashboard({ store, cols, rows }: { store: AppStore; cols: number; rows: number }) {
  const help = useStore(store, (s) => s.ui.help);
  const gpuPanel = useStore(store, (s) => s.ui.gpuPanel);
  const view = useStore(store, (s) => s.ui.view);
  const confirm = useStore(store, (s) => s.ui.confirm !== null);
  const maint = useStore(store, (s) => s.ui.maint !== null);
  const projectPanel = useStore(store, (s) => s.projectPanel !== null);
  const height = Math.max(3, rows - 1);
  const body = Math.max(3, height - 2);
  const left = projectPanelWidth(cols);
  let main: React.ReactNode;
  if (help) main = <Help store={store} width={cols} height={body} />;
  else if (confirm) main = <ConfirmDialog store={store} width={cols} height={body} />;
  else if (maint) main = <MaintView store={store} width={cols} height={body} />;
  else if (projectPanel) main = <ProjectPanelView store={store} width={cols} height={body} />;
  else if (view === 'detail') main = <Detail store={store} x={0} y={1} width={cols} height={body} />;
  else
    main = (
      <>
        <ProjectList store={store} width={left} height={body} />
        {gpuPanel ? <GpuPanel store={store} width={cols - left} height={body} /> : <ContainerTable store={store} x={left} y={1} width={cols - left} height={body} />}
      </>
    );
  return (
    <Box flexDirection="column" width={cols} height={height}>
      <Header store={store} width={cols} />
      <Box height={body} width={cols}>
        {main}
      </Box>
      <Footer store={store} width={cols} />
    </Box>
  );
}
