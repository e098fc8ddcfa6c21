import type { Channel } from '@helpdesk/core';

/**
 * How each channel looks on screen. A channel keeps its colour on every chart so that people learn
 * it once. Tableau 10 hues: distinct for the common colour-vision deficiencies and readable on white.
 * (Type-only import: the browser bundle must not pull in @helpdesk/core, which loads DuckDB.)
 */
export const channelStyle: Record<Channel, { label: string; color: string }> = {
  chat: { label: 'Chat', color: '#4e79a7' },
  email: { label: 'Email', color: '#f28e2b' },
  phone: { label: 'Phone', color: '#59a14f' },
  social: { label: 'Social', color: '#e15759' },
  help_center: { label: 'Help center', color: '#b07aa1' },
};

export function channelLabel(channel: string): string {
  return channelStyle[channel as Channel]?.label ?? channel;
}
