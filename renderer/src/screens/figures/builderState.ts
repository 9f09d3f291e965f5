import type { FigureDef, FigureFormat, FigureKind } from '../../../../shared/figures/types';
import { STARTER_SQL } from '../../../../shared/figures/starter-sql';
import { fromSpec, isIndicatorMeasure, isRatingMeasure, slugify, type SpecForm } from './spec';

/**
 * Everything the figure builder holds while a figure is being written, and the named steps that change it. The
 * builder is remounted (keyed by figure) for each figure it opens, so `loadFigure` is also how it starts afresh.
 */
export type BuilderMode = 'structured' | 'sql';

export interface BuilderState {
  /** How the figure is defined: the structured form or a SQL query. */
  mode: BuilderMode;
  name: string;
  slug: string;
  /** Once the slug is typed into it stops following the name. */
  slugTouched: boolean;
  description: string;
  kind: FigureKind;
  spec: SpecForm;
  sql: string;
  format: FigureFormat;
  /** Preview parameter values the user typed; the rest come from the newest report (see useLivePreview). */
  params: Record<string, string>;
  /** Problems by field, shown beside each field and in the summary above the form. */
  errors: Record<string, string>;
  /** A problem that belongs to no field (shown in the summary). */
  message?: string | undefined;
  saving: boolean;
  confirmingDelete: boolean;
}

/** One field of the structured form, with a value of that field's type. */
type SetSpecField = { [K in keyof SpecForm]: { type: 'setSpecField'; field: K; value: SpecForm[K] } }[keyof SpecForm];

export type BuilderAction =
  | { type: 'setMode'; mode: BuilderMode }
  | { type: 'setName'; name: string }
  | { type: 'setSlug'; slug: string }
  | { type: 'setDescription'; description: string }
  | { type: 'setKind'; kind: FigureKind }
  | SetSpecField
  | { type: 'setRegion'; region: string }
  | { type: 'setBreakdown'; by: string }
  | { type: 'setSql'; sql: string }
  | { type: 'setFormat'; format: Partial<FigureFormat> }
  | { type: 'setParam'; name: string; value: string }
  | { type: 'validated'; errors: Record<string, string> }
  | { type: 'saveStarted' }
  | { type: 'saveFailed'; errors: Record<string, string>; message: string | undefined }
  | { type: 'saveSettled' }
  | { type: 'askToDelete' }
  | { type: 'keepFigure' }
  | { type: 'deleteFailed'; message: string };

/** The state for a figure from the library, or for a new one of the given mode. */
export function loadFigure(existing: FigureDef | null, mode: BuilderMode): BuilderState {
  return {
    mode,
    name: existing?.name ?? '',
    slug: existing?.slug ?? '',
    slugTouched: !!existing,
    description: existing?.description ?? '',
    kind: existing?.kind ?? 'value',
    spec: fromSpec(existing?.spec ?? null),
    sql: existing?.sql ?? STARTER_SQL,
    format: existing?.format ?? {},
    params: {},
    errors: {},
    message: undefined,
    saving: false,
    confirmingDelete: false,
  };
}

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  switch (action.type) {
    case 'setMode':
      return { ...state, mode: action.mode };
    case 'setName':
      // A new figure's slug follows its name until the slug is edited by hand.
      return { ...state, name: action.name, slug: state.slugTouched ? state.slug : slugify(action.name) };
    case 'setSlug':
      return { ...state, slug: action.slug, slugTouched: true };
    case 'setDescription':
      return { ...state, description: action.description };
    case 'setKind':
      return { ...state, kind: action.kind };
    case 'setSpecField':
      return { ...state, spec: { ...state.spec, [action.field]: action.value } };
    case 'setRegion':
      // A local authority from another region would filter everything out.
      return { ...state, spec: { ...state.spec, region: action.region, localAuthority: '' } };
    case 'setBreakdown':
      // A breakdown gives rows, so a figure that was a single value becomes a table.
      return { ...state, spec: { ...state.spec, by: action.by }, kind: action.by && state.kind === 'value' ? 'table' : state.kind };
    case 'setSql':
      return { ...state, sql: action.sql };
    case 'setFormat':
      return { ...state, format: { ...state.format, ...action.format } };
    case 'setParam':
      return { ...state, params: { ...state.params, [action.name]: action.value } };
    case 'validated':
      return { ...state, errors: action.errors, message: undefined };
    case 'saveStarted':
      return { ...state, saving: true };
    case 'saveFailed':
      return { ...state, errors: action.errors, message: action.message };
    case 'saveSettled':
      return { ...state, saving: false };
    case 'askToDelete':
      return { ...state, confirmingDelete: true };
    case 'keepFigure':
      return { ...state, confirmingDelete: false };
    case 'deleteFailed':
      return { ...state, confirmingDelete: false, message: action.message };
  }
}

/** The problems that stop a save, by field, before the host is asked. */
export function validateFigure(s: BuilderState): Record<string, string> {
  const f: Record<string, string> = {};
  if (!s.name.trim()) f.name = 'Enter a name for the figure';
  if (!s.slug) f.slug = 'Enter a slug';
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(s.slug)) f.slug = 'Use lower-case letters, digits and hyphens only';
  if (s.mode === 'sql' && !s.sql.trim()) f.sql = 'Write a SELECT query';
  if (s.mode === 'structured' && isRatingMeasure(s.spec.measure) && s.spec.measure !== 'rating_distribution' && s.spec.ratings.length === 0) f.ratings = 'Choose at least one rating';
  if (s.mode === 'structured' && isIndicatorMeasure(s.spec.measure) && !s.spec.indicator.trim()) f.indicator = 'Enter the indicator';
  return f;
}
