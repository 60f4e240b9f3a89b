'use strict';
// node node-version.js BUILD_DIR: checks the Node.js version the app asks for, package.json's
// engines.node and .nvmrc (each that is there), against the node running this script: the one the
// build and the app use. Prints the `-----> Using Node ...` line and exits 0 when every request is
// met, or when SLIPWAY_RUNTIME_FALLBACK=1 (a config var) lets the build go on with this node,
// saying so. Otherwise prints why on stderr, naming the version there is, and exits 1.

const fs = require('fs');
const path = require('path');
const { satisfies } = require('./semver');

const have = process.version.replace(/^v/, '');
const lts = process.release.lts ? String(process.release.lts) : '';
const where = process.env.STACK === 'slipway-stack' ? 'this stack' : 'this machine';
const fallback = /^(1|true)$/i.test(process.env.SLIPWAY_RUNTIME_FALLBACK || '');

// package.json's engines.node: { source, asked } or null.
function enginesNode(buildDir) {
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(buildDir, 'package.json'), 'utf8'));
  } catch (e) {
    return null; // npm says what is wrong with it
  }
  const engines = pkg && typeof pkg === 'object' ? pkg.engines : null;
  if (!engines || typeof engines !== 'object' || engines.node === undefined || engines.node === null) {
    return null;
  }
  return { source: 'engines.node', asked: engines.node };
}

// .nvmrc's version: its first line that holds one (nvm allows # comments).
function nvmrc(buildDir) {
  let text;
  try {
    text = fs.readFileSync(path.join(buildDir, '.nvmrc'), 'utf8');
  } catch (e) {
    return null;
  }
  const line = text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).find((l) => l !== '');
  return line === undefined ? null : { source: '.nvmrc', asked: line };
}

// The verdict on one request: { met: true, note } or { met: false, why }.
function judge({ source, asked }) {
  if (typeof asked !== 'string' && typeof asked !== 'number') {
    return { met: false, why: `${source} is ${JSON.stringify(asked)}, which is not a version range` };
  }
  const text = String(asked).trim();
  if (source === '.nvmrc') {
    const alias = text.toLowerCase();
    if (['node', 'stable', 'latest', 'current', 'system'].includes(alias)) {
      return { met: true, note: `${source}: ${text}, the newest Node ${where} has` };
    }
    if (alias === 'lts/*') {
      return lts
        ? { met: true, note: `${source}: ${text}, the newest LTS ${where} has (${lts})` }
        : { met: false, why: `${source} asks for ${text}; ${have} is not an LTS release` };
    }
    const codename = /^lts\/([a-z]+)$/.exec(alias);
    if (codename) {
      return lts && codename[1] === lts.toLowerCase()
        ? { met: true, note: `${source}: ${text}` }
        : { met: false, why: `${source} asks for ${text}${lts ? `; ${have} is ${lts}` : ''}` };
    }
  }
  let met;
  try {
    met = satisfies(have, text);
  } catch (e) {
    const example = source === '.nvmrc' ? '18, v18.20.4, lts/*' : '18.x, >=16, ^18.2';
    return { met: false, why: `${source} is ${JSON.stringify(text)}, which is not a version Slipway can read (such as ${example})` };
  }
  return met ? { met: true, note: `${source}: ${text}` } : { met: false, why: `${source} asks for ${text}` };
}

function main(buildDir) {
  const requests = [enginesNode(buildDir), nvmrc(buildDir)].filter(Boolean);
  if (requests.length === 0) {
    console.log(`-----> Using Node ${have} (the app names no version: no engines.node, no .nvmrc)`);
    return 0;
  }
  const verdicts = requests.map(judge);
  const refused = verdicts.filter((v) => !v.met).map((v) => v.why);
  const major = have.split('.')[0];
  const example = requests[verdicts.findIndex((v) => !v.met)]?.source === '.nvmrc' ? major : `${major}.x`;
  if (refused.length === 0) {
    console.log(`-----> Using Node ${have} (${verdicts.map((v) => v.note).join('; ')})`);
    return 0;
  }
  const reason = `${refused.join('; ')}; ${where} has Node ${have} and no other version`;
  if (fallback) {
    console.log(`-----> Using Node ${have}, which is not what the app asks for: SLIPWAY_RUNTIME_FALLBACK=1 allows it`);
    console.log(`       ${reason}`);
    return 0;
  }
  console.error(` !     ${reason}.`);
  console.error(` !     Ask for a version that includes ${have} (such as ${example}), or set the config var`
      + ` SLIPWAY_RUNTIME_FALLBACK=1 to build with ${have}.`);
  return 1;
}

process.exitCode = main(process.argv[2] || '.');
