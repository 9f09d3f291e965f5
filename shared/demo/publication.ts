/**
 * The demo State of Care's own publication details (the rest come from its template): the day State of Care 2017/18
 * was published, and its foreword signed by CQC's Chair and Chief Executive of the time. The ISBN and HC number are
 * well formed but made up for the demonstration (its ISBN's check digit is right).
 */
export const DEMO_PUBLICATION = {
  publishedOn: '2018-10-10',
  isbn: '978-1-5286-0782-7',
  hcNumber: 'HC 1457',
  signatories: [
    { name: 'Peter Wyman', office: 'Chair' },
    { name: 'Ian Trenholm', office: 'Chief Executive' },
  ],
};
