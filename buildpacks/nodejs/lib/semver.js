'use strict';
// Semver ranges as npm reads package.json's engines (node-semver's grammar): `18.x`, `>=16`,
// `^18.2`, `~18.19.0`, `18`, `4.0.0`, `*`, `>=16 <19`, `16 || 18`, `16.0.0 - 18.x`, `>= 16`.
// satisfies(version, range) answers for one release version; an unreadable range throws.
//
// As a CLI, for tests: `node semver.js VERSION RANGE` prints true or false, or `invalid: ...` when
// the range cannot be read; without arguments it answers each `VERSION<tab>RANGE` line of its
// standard input with such a line.

const fs = require('fs');

const NUM = '0|[1-9]\\d*';
const PART = `(?:${NUM}|[xX*])`;
const PRE = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
// major[.minor[.patch[-pre][+build]]], each part a number or a wildcard; a leading v or = is fine.
const PARTIAL = new RegExp(`^[v=]*\\s*(${PART})(?:\\.(${PART})(?:\\.(${PART})(?:-(${PRE}))?(?:\\+${PRE})?)?)?$`);
const VERSION = new RegExp(`^v?(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE}))?(?:\\+${PRE})?$`);
const OPERATOR = /^(<=|>=|<|>|=|~>|~|\^)?(.*)$/;

/** A release version: { major, minor, patch, pre: [] }. Throws when `text` is none. */
function parseVersion(text) {
  const m = VERSION.exec(String(text).trim());
  if (!m) {
    throw new Error(`${JSON.stringify(text)} is not a version`);
  }
  return version(+m[1], +m[2], +m[3], m[4] ? m[4].split('.') : []);
}

function version(major, minor, patch, pre) {
  return { major, minor, patch, pre: pre || [] };
}

function compareIdentifiers(a, b) {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    return Math.sign(+a - +b);
  }
  if (an !== bn) {
    return an ? -1 : 1; // numeric identifiers come first
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function compare(a, b) {
  for (const key of ['major', 'minor', 'patch']) {
    if (a[key] !== b[key]) {
      return Math.sign(a[key] - b[key]);
    }
  }
  // A pre-release comes before its release; pre-releases compare identifier by identifier.
  if (a.pre.length === 0 || b.pre.length === 0) {
    return Math.sign(b.pre.length - a.pre.length);
  }
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    if (i >= a.pre.length) return -1;
    if (i >= b.pre.length) return 1;
    const c = compareIdentifiers(a.pre[i], b.pre[i]);
    if (c !== 0) return c;
  }
  return 0;
}

const wild = (part) => part === undefined || /^[xX*]$/.test(part);

// One comparator (`^18.2`, `>=16`, `4.0.0`, `18.x`) as a list of simple ones ({ op, v }), all of
// which must hold; ANY when it allows everything, NONE when nothing.
function desugar(text) {
  const [, op = '', rest] = OPERATOR.exec(text);
  const m = PARTIAL.exec(rest);
  if (!m) {
    throw new Error(`${JSON.stringify(text)} is not a version or comparator`);
  }
  const [, M, m2, p, pre] = m;
  const xM = wild(M);
  const xm = xM || wild(m2);
  const xp = xm || wild(p);
  if ((xM && !wild(m2)) || (xm && !wild(p)) || (xp && pre)) {
    throw new Error(`${JSON.stringify(text)} has a number after a wildcard`);
  }
  const major = xM ? 0 : +M;
  const minor = xm ? 0 : +m2;
  const patch = xp ? 0 : +p;
  const pres = pre ? pre.split('.') : [];
  const lower = version(major, minor, patch, pres);
  // The first version past the range that the partial names (`<2.0.0-0` for `1` or `1.x`).
  const past = xm ? version(major + 1, 0, 0, ['0']) : version(major, minor + 1, 0, ['0']);
  const ge = (v) => ({ op: '>=', v });
  const lt = (v) => ({ op: '<', v });

  switch (op) {
    case '':
    case '=':
      if (xM) return [];
      if (xp) return [ge(lower), lt(past)];
      return [{ op: '=', v: lower }];
    case '~':
    case '~>':
      if (xM) return [];
      return [ge(lower), lt(xm ? past : version(major, minor + 1, 0, ['0']))];
    case '^': {
      if (xM) return [];
      let upper;
      if (major > 0 || xm) {
        upper = version(major + 1, 0, 0, ['0']);
      } else if (minor > 0 || xp) {
        upper = version(0, minor + 1, 0, ['0']);
      } else {
        upper = version(0, 0, patch + 1, ['0']);
      }
      return [ge(lower), lt(upper)];
    }
    case '>':
      if (xM) return NONE;
      if (xp) return [ge(version(past.major, past.minor, 0))];
      return [{ op: '>', v: lower }];
    case '>=':
      return xM ? [] : [ge(lower)];
    case '<':
      if (xM) return NONE;
      return [lt(xp ? version(major, minor, patch, ['0']) : lower)];
    case '<=':
      if (xM) return [];
      if (xp) return [lt(past)];
      return [{ op: '<=', v: lower }];
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

const NONE = [{ op: '<', v: version(0, 0, 0, ['0']) }];

// `A - B`: at least A (missing parts 0), at most B (missing parts: anything within it).
function hyphen(from, to) {
  return desugar(`>=${from}`).concat(desugar(`<=${to}`));
}

/** The range as a list of sets of simple comparators: a version satisfies it when it meets every comparator of one set. */
function parseRange(range) {
  if (typeof range !== 'string') {
    throw new Error(`${JSON.stringify(range)} is not a version range`);
  }
  return range.split('||').map((alternative) => {
    const set = alternative.trim();
    const span = /^(\S+)\s+-\s+(\S+)$/.exec(set);
    if (span) {
      return hyphen(span[1], span[2]);
    }
    if (set === '') {
      return []; // `*`, as npm reads an empty range (and the empty side of `16 ||`)
    }
    // `>= 16` and `^ 18` are `>=16` and `^18`.
    const tokens = set.replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, '$1').split(/\s+/);
    return tokens.flatMap(desugar);
  });
}

function holds({ op, v }, candidate) {
  const c = compare(candidate, v);
  switch (op) {
    case '=': return c === 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    default: return false;
  }
}

// A pre-release version satisfies a set only when a comparator of the set names a pre-release of
// the same major.minor.patch (node-semver's rule: `>=18.0.0` does not take 19.0.0-rc.1).
function preReleaseAllowed(set, candidate) {
  if (candidate.pre.length === 0) {
    return true;
  }
  return set.some(({ v }) => v.pre.length > 0 && v.major === candidate.major && v.minor === candidate.minor && v.patch === candidate.patch);
}

/** Whether `versionText` (a release such as `18.20.4` or `v18.20.4`) is in `range`. */
function satisfies(versionText, range) {
  const candidate = parseVersion(versionText);
  return parseRange(range).some((set) => set.every((c) => holds(c, candidate)) && preReleaseAllowed(set, candidate));
}

module.exports = { satisfies, parseRange, parseVersion, compare };

function verdict(versionText, range) {
  try {
    return String(satisfies(versionText, range));
  } catch (e) {
    return `invalid: ${e.message}`;
  }
}

if (require.main === module) {
  if (process.argv.length > 2) {
    console.log(verdict(process.argv[2], process.argv[3] === undefined ? '' : process.argv[3]));
  } else {
    const lines = fs.readFileSync(0, 'utf8').split('\n').filter((line) => line !== '');
    for (const line of lines) {
      const tab = line.indexOf('\t');
      console.log(verdict(line.slice(0, tab), line.slice(tab + 1)));
    }
  }
}
