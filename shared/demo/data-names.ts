import type { Rng } from './data-random';

/**
 * Word stock for fictional names. The stems are nature words joined to English place-name endings ("Kestrelholt",
 * "Sorrelmere"), so names read like English care homes and trusts without belonging to any real provider.
 */

const PREFIXES = [
  'Amber', 'Bramble', 'Cinder', 'Dapple', 'Ember', 'Fennel', 'Gorse', 'Heron', 'Juniper', 'Kestrel', 'Linnet', 'Meadow',
  'Nettle', 'Osier', 'Pipit', 'Quill', 'Rowan', 'Sorrel', 'Teasel', 'Umber', 'Vetch', 'Willow', 'Yarrow', 'Wren', 'Sloe',
  'Thistle', 'Bracken', 'Campion', 'Hazel', 'Tansy', 'Clover', 'Alder', 'Lapwing', 'Plover', 'Starling', 'Bryony',
] as const;

const SUFFIXES = ['mere', 'combe', 'holt', 'wick', 'stead', 'field', 'brook', 'dene', 'garth', 'lea', 'thorpe', 'haven', 'croft', 'worth', 'ridge'] as const;

export function stem(rng: Rng): string {
  return rng.pick(PREFIXES) + rng.pick(SUFFIXES);
}

const TREES = ['Willows', 'Beeches', 'Laurels', 'Cedars', 'Limes', 'Poplars', 'Elms', 'Hollies', 'Maples', 'Rowans', 'Firs', 'Larches'] as const;
const HOME_WORDS = ['House', 'Lodge', 'Court', 'Manor', 'Grange', 'Hall', 'View', 'Gardens', 'Residential Home', 'Nursing Home', 'Care Home', 'Care Centre'] as const;

export function careHomeName(rng: Rng): string {
  const r = rng.next();
  if (r < 0.18) return `The ${rng.pick(TREES)}`;
  if (r < 0.26) return `${rng.pick(PREFIXES)} ${rng.pick(['Cottage', 'Villa', 'Place'])}`;
  return `${stem(rng)} ${rng.pick(HOME_WORDS)}`;
}

export function communityServiceName(rng: Rng, town: string): string {
  const r = rng.next();
  if (r < 0.35) return `${stem(rng)} Home Care - ${town}`;
  if (r < 0.55) return `${stem(rng)} Support Services`;
  if (r < 0.7) return `${rng.pick(PREFIXES)} Domiciliary Care (${town})`;
  if (r < 0.85) return `${town} Supported Living Service`;
  return `${stem(rng)} Care at Home`;
}

export function gpPracticeName(rng: Rng, town: string): string {
  const r = rng.next();
  if (r < 0.3) return `${stem(rng)} Surgery`;
  if (r < 0.55) return `${stem(rng)} Medical Centre`;
  if (r < 0.7) return `The ${stem(rng)} Practice`;
  if (r < 0.85) return `${stem(rng)} Road Surgery`;
  return `${town} ${rng.pick(['Health Centre', 'Family Practice', 'Medical Group'])}`;
}

export function ascProviderName(rng: Rng): string {
  const s = stem(rng);
  return `${s} ${rng.pick(['Care Limited', 'Care Ltd', 'Healthcare Limited', 'Care Homes Ltd', 'Homecare Services Limited', 'Lifestyle Care Ltd', 'Support Services CIC', 'Care Partnership LLP'])}`;
}

export function gpProviderName(rng: Rng, practice: string): string {
  const r = rng.next();
  if (r < 0.55) return `Dr ${rng.pick(INITIALS)} ${rng.pick(SURNAMES)} and Partners`;
  if (r < 0.8) return `${practice.replace(/^The /, '')} Partnership`;
  return `${stem(rng)} Primary Care Limited`;
}

export function trustStem(rng: Rng): string {
  return stem(rng);
}

export function streetAddress(rng: Rng): string {
  return `${rng.between(1, 240)} ${rng.pick(PREFIXES)} ${rng.pick(['Road', 'Lane', 'Street', 'Avenue', 'Close', 'Way', 'Drive', 'Crescent', 'Grove', 'Terrace'])}`;
}

/** A postcode inward code: a digit and two letters from the set Royal Mail uses. */
export function inwardCode(rng: Rng): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `${rng.int(10)}${letters[rng.int(letters.length)]}${letters[rng.int(letters.length)]}`;
}

export const INITIALS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'V', 'W'] as const;

export const SURNAMES = [
  'Ashworth', 'Barraclough', 'Chaudhry', 'Dimmock', 'Entwistle', 'Fairbairn', 'Gallagher', 'Hollins', 'Iqbal', 'Jeffcote',
  'Kershaw', 'Lomax', 'Mahmood', 'Nuttall', 'Okafor', 'Pennington', 'Quayle', 'Ramsbottom', 'Sandhu', 'Threlfall', 'Umeh',
  'Varley', 'Whitworth', 'Yates', 'Adeyemi', 'Brierley', 'Cheetham', 'Dewhurst', 'Eccleston', 'Fenwick', 'Grimshaw',
  'Hargreaves', 'Kowalski', 'Lindqvist', 'Marsden', 'Nakamura', 'Ormerod', 'Pilkington', 'Rossiter', 'Stansfield',
] as const;

/** Fictional regulator staff: inspectors, analysts and editors who collect, verify and write. */
export const STAFF = [
  'Helen Marsden', 'Gareth Lomax', 'Priya Sandhu', 'Tom Whitworth', 'Aisha Okafor', 'Fiona Threlfall', 'Daniel Kershaw',
  'Ruth Pennington', 'Imran Chaudhry', 'Sarah Fenwick', 'Joe Entwistle', 'Nadia Iqbal', 'Claire Ormerod', 'Mark Dewhurst',
  'Lucy Fairbairn', 'Owen Grimshaw', 'Ewa Kowalski', 'Kate Hargreaves', 'Sam Adeyemi', 'Beth Varley',
] as const;

/** Fictional large adult social care groups: a few own hundreds of services, as the real market does. */
export const CARE_GROUPS = [
  'Larkmere', 'Osierbrook', 'Kestrelholt', 'Sorrelcombe', 'Willowgarth', 'Heronstead', 'Campiondene', 'Amberthorpe',
  'Linnetfield', 'Rowanhaven', 'Teaselworth', 'Juniperlea',
] as const;
