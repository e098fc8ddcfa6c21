import { afterAll, describe, expect, it } from 'vitest';
import { classifyIntents, type ClassifyTask } from '@helpdesk/core';
import { classifyOffThread, closeSimulationPool } from '$lib/server/simulation-pool';
import { loopLag } from './support/loop-lag.ts';

// A sync's intent classifier runs in a worker thread of the web server's pool: the same labels as
// in the calling thread, with the event loop free meanwhile. Times are relative to the in-thread
// run on this machine, never absolute.

afterAll(() => closeSimulationPool());

// Three intents, each with its own words and a shared filler, drawn by a fixed linear
// congruential generator: 3 x 10,000 teachers, large enough that one training step is a visible stall.
const vocab: Record<string, string[]> = {
  refund: ['refund', 'money', 'charged', 'twice', 'bank', 'reimburse', 'invoice', 'paid'],
  delivery: ['parcel', 'delivery', 'courier', 'tracking', 'arrived', 'late', 'address', 'shipment'],
  login: ['password', 'login', 'reset', 'locked', 'account', 'code', 'verification', 'sign'],
};
const filler = ['hello', 'please', 'help', 'thanks', 'today', 'order', 'again', 'soon'];
function task(): ClassifyTask {
  let seed = 7;
  const next = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), (seed >>> 16) % n);
  const text = (intent: string) => Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? filler[next(8)] : vocab[intent][next(8)])).join(' ');
  const intents = Object.keys(vocab);
  const teachers = Array.from({ length: 30_000 }, (_, i) => ({ intent: intents[i % 3], text: text(intents[i % 3]) }));
  // Texts to label: each intent's own words, filler only (no known intent word), and nothing.
  const texts = ['my refund was charged twice to the bank', 'the courier lost the parcel tracking', 'password reset code locked', 'hello please thanks', ''];
  return { teachers, texts, minExamples: 20, threshold: 0.9 };
}

describe('the intent classifier in the worker pool', () => {
  it('labels as it does in this thread: each intent its own words, filler and empty text nothing sure', async () => {
    const off = await classifyOffThread(task());
    const here = await classifyIntents(task());
    expect(off).toEqual(here);
    expect(off.trainedOn).toBe(30_000);
    expect(off.predictions.slice(0, 3).map((p) => p.intent)).toEqual(['refund', 'delivery', 'login']);
    for (const p of off.predictions.slice(0, 3)) expect(p.confidence).toBeGreaterThan(0.99);
    // Filler words are in every intent's examples alike: no label clears the threshold.
    expect(off.predictions[3].confidence).toBeLessThan(0.9);
    expect(off.predictions[4]).toEqual({ intent: null, confidence: 0 });
    // Every teacher's words are its intent's: the cross-validation gets them all right.
    expect(off.cvAccuracy).toBe(1);
  }, 180_000); // the worker thread's first task loads the language model: seconds on a busy machine

  it('keeps the event loop answering while it trains, which the same task in this thread does not', async () => {
    const work = task();
    // The yardstick: in this thread, training is one synchronous step the loop waits for.
    const inThread = await loopLag(() => classifyIntents(work));
    expect(inThread.lagMs).toBeGreaterThan(30);
    const offThread = await loopLag(() => classifyOffThread(work));
    // In the worker the timer keeps firing: only copying the task and its result stay here.
    expect(offThread.lagMs).toBeLessThan(inThread.lagMs / 3);
  }, 180_000);
});
