import { describe, expect, it } from 'vitest';
import { erlangC, erlangCProbability } from '../src/routing/erlang-c.ts';

// Reference figures: /work/shared/datasets/SOURCES.md §5.1 "Erlang C worked examples".
// Row 1 is published by pyworkforce 0.1.0 (README on PyPI: ErlangC(transactions=100, aht=3,
// interval=30, asa=20/60) -> 14 positions, service_level 0.88835, occupancy 0.71428,
// waiting_probability 0.17413) and by the R package ErlangC 0.1.0 (average_speed_of_answer
// 7.83593701177724 s). The 11-agent P(wait) 0.6821182 is the first row of the R package's
// agent-search table. The 12/13-agent and the 360 calls / 55-agent rows were computed in
// SOURCES.md from the formulas, not published; they still pin the implementation.
describe('Erlang C', () => {
  it('matches the published pyworkforce / R ErlangC example: 100 calls in 30 min, AHT 180 s, 14 agents, 20 s target', () => {
    const r = erlangC({ calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, targetSeconds: 20 });
    // A = 100/1800 * 180 = 10 Erlangs; occupancy 10/14 = 0.7142857
    expect(r.trafficErlangs).toBeCloseTo(10, 12);
    expect(r.occupancy).toBeCloseTo(0.7142857, 7);
    expect(r.pWait).toBeCloseTo(0.1741319, 7);
    expect(r.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(r.asa).toBeCloseTo(7.83593701177724, 9);
  });

  it('matches the published 11-agent probability of waiting 0.6821182 (R ErlangC agent search)', () => {
    expect(erlangCProbability(10, 11)).toBeCloseTo(0.6821182, 7);
    const r = erlangC({ calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 11, targetSeconds: 20 });
    expect(r.serviceLevel).toBeCloseTo(0.3896, 4);
    expect(r.asa).toBeCloseTo(122.8, 1); // 0.6821182 * 180 / (11 - 10) = 122.78
  });

  it('reproduces the computed 12- and 13-agent rows and the 80/20 target first met at 14 agents', () => {
    const at = (agents: number) => erlangC({ calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents, targetSeconds: 20 });
    expect(at(13).pWait).toBeCloseTo(0.2852705, 7);
    expect(at(13).serviceLevel).toBeCloseTo(0.79559, 5);
    expect(at(13).asa).toBeCloseTo(17.116, 3);
    expect(at(12).pWait).toBeCloseTo(0.4493882, 7);
    expect(at(12).serviceLevel).toBeCloseTo(0.64016, 5);
    expect(at(12).asa).toBeCloseTo(40.445, 3);
    expect(at(13).serviceLevel).toBeLessThan(0.8);
    expect(at(14).serviceLevel).toBeGreaterThan(0.8);
  });

  it('reproduces the textbook 360 calls / 30 min, AHT 240 s, 55 agents, 15 s target example', () => {
    const r = erlangC({ calls: 360, intervalSeconds: 1800, ahtSeconds: 240, agents: 55, targetSeconds: 15 });
    expect(r.trafficErlangs).toBeCloseTo(48, 12); // 360/1800 * 240
    expect(r.pWait).toBeCloseTo(0.2387009, 7);
    expect(r.serviceLevel).toBeCloseTo(0.84588, 5);
    expect(r.asa).toBeCloseTo(8.184, 3);
  });

  it('agrees with the factorial form of the formula for small cases', () => {
    // Independent implementation: C = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A)).
    const factorialForm = (a: number, n: number) => {
      let sum = 0;
      let term = 1;
      for (let k = 0; k < n; k++) {
        sum += term;
        term *= a / (k + 1);
      }
      const top = (term * n) / (n - a);
      return top / (sum + top);
    };
    for (const [a, n] of [[1, 2], [2.5, 3], [7.3, 9], [20, 25], [0.4, 1]] as const) {
      expect(erlangCProbability(a, n)).toBeCloseTo(factorialForm(a, n), 12);
    }
  });

  it('reports an overloaded queue as everyone waiting, no service level and an infinite ASA', () => {
    const r = erlangC({ calls: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 10, targetSeconds: 20 });
    expect(r).toMatchObject({ pWait: 1, serviceLevel: 0, asa: Infinity, occupancy: 1 });
  });

  it('stays finite for large call centres where A^N/N! would overflow', () => {
    const p = erlangCProbability(900, 950);
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });

  it('rejects nonsense inputs with a clear error', () => {
    expect(() => erlangC({ calls: 100, intervalSeconds: 0, ahtSeconds: 180, agents: 14, targetSeconds: 20 })).toThrow(/intervalSeconds/);
    expect(() => erlangCProbability(10, 2.5)).toThrow(/whole number/);
  });
});
