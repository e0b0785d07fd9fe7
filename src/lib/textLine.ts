/** One line of a text view (inspect, env, project panel), with the role that picks its colour. */
export interface TextLine {
  text: string;
  role?: 'heading' | 'dim' | 'error' | 'warning' | 'ok';
}
