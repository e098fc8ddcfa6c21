// Runs one suite module in this process and reports its result plus this process's peak RSS on a
// marker line that bench.mjs reads. Progress printed by the suite goes to stderr or plain stdout.
import { pathToFileURL } from 'node:url';

const [file, ...args] = process.argv.slice(2);
const suite = await import(pathToFileURL(file).href);
const result = await suite.default(args);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const figures = { ...result.figures, peakRssMb: Math.max(peakRssMb, result.figures?.peakRssMb ?? 0) };
console.log('@@bench ' + JSON.stringify({ figures, ratios: result.ratios ?? {} }));
