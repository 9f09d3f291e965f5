import type { Workspace } from '../../store/workspace';
import { getFigure } from '../library';
import { FigureSpecError, parseSpec, resolveSpec, type FigureSpec } from '../spec';
import type { GroupDim } from '../../store/rating-index';
import type { FigureDef, FigureParams, Provenance } from '../types';
import { canonicalJson } from '../spec';
import { coverageAt, datasets, type CoverageAnswer, type CoverageData } from '../../store/imports';

/**
 * Every cache the engine keeps besides its results and the rating index, and, in one table, which changes drop which.
 * Results (results.ts) and the rating index (shared/store/current-ratings.ts) have their own finer rules; everything else is here.
 */

/** Tables whose change drops each cache. */
const DROPPED_BY: Record<'defs' | 'names' | 'scales' | 'imports', readonly string[]> = {
  defs: ['figures', 'figure_evidence'],
  names: ['regions', 'local_authorities', 'sectors', 'key_questions'],
  scales: ['rating_values', 'key_questions', 'rating_scales'],
  imports: ['imports'],
};

export interface ScaleLabel {
  label: string;
  on_scale: number;
  rank: number | null;
}

export class EngineCaches {
  /** Library figures by id or slug. */
  private defs = new Map<string, FigureDef | null>();
  /** Parsed specs by their JSON: zod parsing 300 specs on every pass would dominate recompute time. Never stale. */
  private parsed = new Map<string, FigureSpec>();
  /** Specs with their parameters filled in, by spec JSON and parameters. Never stale. */
  private resolved = new Map<string, FigureSpec>();
  /** Reference names by id, for filters and row labels. */
  private names: { regions: Map<string, string>; las: Map<string, string>; sectors: Map<string, string>; kqs: Map<string, string> } | undefined;
  /** Rating scale labels by the key questions asked for. */
  private scales = new Map<string, ScaleLabel[]>();
  /** Imports by id, for provenance. */
  private importRows: Map<string, Provenance['imports'][number]> | undefined;
  /** What the imports answer (coverage), by data and date; and the first date register data answers. */
  private coverageMemo = new Map<string, CoverageAnswer>();
  private registerFrom: string | null | undefined;

  constructor(private readonly ws: Workspace) {}

  /** Drops whatever the changed tables make stale. */
  tablesChanged(tables: readonly string[]): void {
    const hit = (k: keyof typeof DROPPED_BY) => tables.some((t) => DROPPED_BY[k].includes(t));
    if (hit('defs')) this.defs.clear();
    if (hit('names')) this.names = undefined;
    if (hit('scales')) this.scales.clear();
    if (hit('imports')) {
      this.importRows = undefined;
      this.coverageMemo.clear();
      this.registerFrom = undefined;
    }
  }

  /** Whether the imports of this data answer a date (shared/store/imports.ts coverageAt), memoised until imports change. */
  coverage(data: CoverageData, date: string): CoverageAnswer {
    const key = `${data}\u0000${date}`;
    let c = this.coverageMemo.get(key);
    if (!c) {
      c = coverageAt(this.ws, data, date);
      this.coverageMemo.set(key, c);
    }
    return c;
  }

  /** The earliest date any import of register data (locations) answers; null when none says. */
  registerCoveredFrom(): string | null {
    if (this.registerFrom === undefined) {
      const all = datasets(this.ws, 'locations');
      this.registerFrom = all.length ? all.map((d) => d.coverage.from).sort()[0]! : null;
    }
    return this.registerFrom;
  }

  clear(): void {
    this.defs.clear();
    this.parsed.clear();
    this.resolved.clear();
    this.names = undefined;
    this.scales.clear();
    this.importRows = undefined;
    this.coverageMemo.clear();
    this.registerFrom = undefined;
  }

  def(idOrSlug: string): FigureDef | undefined {
    let d = this.defs.get(idOrSlug);
    if (d === undefined) {
      d = getFigure(this.ws, idOrSlug) ?? null;
      this.defs.set(idOrSlug, d);
    }
    return d ?? undefined;
  }

  /** The spec with its parameters filled in (cached: specs and parameters repeat across a report). */
  spec(raw: Record<string, unknown>, used: FigureParams): FigureSpec {
    const json = JSON.stringify(raw);
    const rk = `${json}\u0000${canonicalJson(used)}`;
    let spec = this.resolved.get(rk);
    if (!spec) {
      let p = this.parsed.get(json);
      if (!p) {
        p = parseSpec(raw);
        this.parsed.set(json, p);
      }
      spec = resolveSpec(p, used);
      this.resolved.set(rk, spec);
    }
    return spec;
  }

  private loadNames() {
    if (!this.names) {
      const m = (sql: string) => new Map(this.ws.all<{ id: string; name: string }>(sql).map((r) => [r.id, r.name]));
      this.names = {
        regions: m('SELECT id, name FROM regions'),
        las: m('SELECT id, name FROM local_authorities'),
        sectors: m('SELECT id, name FROM sectors'),
        kqs: m('SELECT id, name FROM key_questions'),
      };
    }
    return this.names;
  }

  get regions(): Map<string, string> {
    return this.loadNames().regions;
  }
  get localAuthorities(): Map<string, string> {
    return this.loadNames().las;
  }
  get sectors(): Map<string, string> {
    return this.loadNames().sectors;
  }
  get keyQuestions(): Map<string, string> {
    return this.loadNames().kqs;
  }

  /** Resolves a filter's values (ids or names, case-insensitively) against a reference table; unknown values are an error. */
  resolveNames(field: string, values: string[], table: Map<string, string>, what: string): string[] {
    return values.map((v) => {
      if (table.has(v)) return v;
      for (const [id, name] of table) if (name.toLowerCase() === v.toLowerCase() || id.toLowerCase() === v.toLowerCase()) return id;
      const known = [...table.values()].slice(0, 12).join(', ');
      throw new FigureSpecError(`spec.${field}: "${v}" is not ${what} in this workspace${known ? ` (for example: ${known})` : ''}`, `spec.${field}`);
    });
  }

  /** How a group's raw key reads in a table's first column. */
  groupLabel(by: GroupDim, raw: string): string {
    switch (by) {
      case 'region':
        return this.regions.get(raw) ?? (raw || 'Unknown region');
      case 'localAuthority':
        return this.localAuthorities.get(raw) ?? (raw || 'Unknown local authority');
      case 'sector':
        return this.sectors.get(raw) ?? raw;
      case 'keyQuestion':
        return this.keyQuestions.get(raw) ?? raw;
      case 'careHome':
        return raw === '1' ? 'Care home' : 'Not a care home';
      default:
        return raw || 'Not recorded';
    }
  }

  /** The rating labels of the key questions' scales, best first, off-scale statuses last. */
  scaleLabels(kqs: string[]): ScaleLabel[] {
    const key = kqs.join('\u0000');
    let labels = this.scales.get(key);
    if (!labels) {
      labels = this.ws.all<ScaleLabel>(
        `SELECT DISTINCT rv.label, rv.on_scale, rv.rank FROM rating_values rv JOIN key_questions kq ON kq.scale_id = rv.scale_id WHERE kq.id IN (${kqs.map(() => '?').join(',')}) ORDER BY rv.rank IS NULL, rv.rank`,
        kqs,
      );
      this.scales.set(key, labels);
    }
    return labels;
  }

  /** The imports behind some rows, for provenance, in id order. */
  importsFor(ids: Map<string, number>): Provenance['imports'] {
    if (!this.importRows) {
      this.importRows = new Map(
        this.ws
          .all<{ id: string; kind: string; file_name: string; imported_at: string; rows: number }>('SELECT id, kind, file_name, imported_at, rows FROM imports')
          .map((r) => [r.id, { id: r.id, kind: r.kind, fileName: r.file_name, importedAt: r.imported_at, rows: r.rows }]),
      );
    }
    return [...ids.keys()].sort().map((id) => this.importRows!.get(id) ?? { id, kind: 'unknown', fileName: '', importedAt: '', rows: 0 });
  }
}
