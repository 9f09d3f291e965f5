/**
 * The text of the demonstration reports, in a small markup that reports.ts turns into the Lexical JSON the editor
 * saves:
 *   {key}            a live figure (keys are mapped to library figures and parameters in reports.ts)
 *   [^REF]           an evidence citation, by the evidence's reference (e.g. SOC18/R/01)
 *   [^lsr:AREA:KIND] the first evidence of that kind from the local system review of AREA (optionally :TITLE WORDS)
 *   **bold**, *italic*
 * Blocks: a string is a paragraph; objects give headings, quotes, lists, tables, figure blocks and page breaks.
 *
 * The voice is a regulator's annual report: plain, measured, specific, and honest about what the figures cannot say.
 */

export type ProseBlock =
  | string
  | { h: string }
  | { quote: string }
  | { list: string[]; ordered?: boolean }
  /** `title`: the finding the chart shows, printed as its title; the caption then says what the data is. */
  | { chart: string; caption: string; title?: string }
  | { table: string; caption: string }
  | { grid: string[][] }
  | { pageBreak: true };

export interface ProseSection {
  title: string;
  status: 'draft' | 'in review' | 'approved';
  owner: string;
  blocks: ProseBlock[];
}

export const STATE_OF_CARE: ProseSection[] = [
  {
    title: 'Foreword',
    status: 'approved',
    owner: 'Editorial board',
    blocks: [
      'This is our annual assessment of health care and adult social care in England. It looks at the quality of care over the past year, drawing on our inspections and ratings, on what people who use services have told us, and on the 20 local system reviews we carried out of how older people move between health and social care.',
      'Most people in England receive good care. As at 31 July 2018, {go:asc:overall:now} of adult social care services were rated good or outstanding, and in general practice {go:gp:overall:now} of practices. Quality has been broadly maintained, and in many places it has improved, despite a year of sustained pressure on funding, on the workforce and on demand.',
      'But this is not the whole story. The quality of care people receive, and whether they can get care at all, increasingly depends on where they live and on how well the organisations around them work together. People who need care rarely need it from one organisation alone; yet our health and care system is still funded, commissioned, regulated and held to account organisation by organisation.',
      { quote: 'This is not so much a postcode lottery as an integration lottery.' },
      'Adult social care is approaching a tipping point. In some areas, services are moving away from it as quality improves; in others, deterioration is beginning to outpace improvement. In the last year {fact:contracts} councils reported that home care providers had handed back contracts[^SOC18/R/01], and an estimated {fact:unmet} older people have care needs that are not being met[^SOC18/R/02].',
      'We call on government, commissioners and providers to plan together, to measure success by the experience of the person rather than the performance of the organisation, and to put the funding of adult social care on a sustainable footing. Our own role is to shine a light on what works, and we will continue to do so.',
    ],
  },
  {
    title: 'Summary',
    status: 'approved',
    owner: 'Editorial board',
    blocks: [
      'The quality of care in England was broadly maintained in 2017/18. In each of the main sectors we rate, the share of services rated good or outstanding was higher than a year earlier, and the share rated inadequate stayed small. This summary sets out our key findings; the chapters that follow give the evidence.',
      { h: 'Key findings' },
      {
        list: [
          '**Most people receive good care.** In adult social care, {go:asc:overall:now} of services were rated good or outstanding, compared with {go:asc:overall:prev} a year earlier. In GP practices the figure was {go:gp:overall:now}, and in NHS mental health core services {go:mh:overall:now}[^SOC18/D/01].',
          '**Hospitals are improving from a lower base.** In NHS acute hospitals, {go:acute:overall:now} of core services were rated good or outstanding, compared with {go:acute:overall:prev} in 2017; {r:acute:ri:now} still require improvement[^SOC18/D/02].',
          '**Safety remains the greatest concern.** Safe is the key question with the weakest ratings in every sector. In adult social care, {go:asc:safe:now} of services were rated good or outstanding for safe, a figure that {dir:asc:safe#direction} from {go:asc:safe:prev}.',
          '**Care depends on where you live.** Delayed transfers of care in the areas we reviewed ranged from {ind:dtoc:lsr#min} to {ind:dtoc:lsr#max} per 100,000 people aged 65 and over: the highest rate was {ind:dtoc:lsr#ratio} times the lowest.',
          '**The care market is fragile.** In all, {fact:contracts} councils reported home care contracts handed back, affecting {fact:affected} people[^SOC18/R/01], and there were around {fact:vacancies} vacancies in adult social care[^SOC18/R/03].',
        ],
      },
      { chart: 'c:sector-yoy', caption: 'Locations rated good or outstanding overall, by type of service, 2017 and 2018', title: 'Every type of service had a larger share rated good or outstanding than a year earlier' },
      'Figure 1 compares types of service on the overall rating of each location. For NHS hospitals, where we rate each core service (such as maternity or surgery) as well as the hospital, the text quotes core service ratings: measured that way, the share of acute core services rated good or outstanding rose by {chg:acute:overall} between 31 July 2017 and 31 July 2018. In adult social care it rose by {chg:asc:overall}.',
      { table: 't:overall-sector', caption: 'Overall ratings of locations by type of service, as at 31 July 2018' },
      'Percentages are rounded to whole numbers, so figures may not sum due to rounding: the good and outstanding shares in table 1 can differ by a point from the share rated good or outstanding in figure 1. Table 2 shows the same pattern across the five key questions in NHS acute hospitals: caring is rated most highly, and safe least highly, in both years.',
      { table: 't:kq-acute', caption: 'NHS acute core services rated good or outstanding, by key question, 2017 and 2018' },
    ],
  },
  {
    title: 'The integration lottery',
    status: 'in review',
    owner: 'Analysis team',
    blocks: [
      'People do not experience care as a series of separate organisations. An older person who falls at home may be seen by a paramedic, treated in an emergency department, admitted to a ward, assessed by a social worker, discharged with reablement and then supported by a home care agency and their GP. Whether that journey is smooth or fragmented depends on how well those organisations work together. This year we looked at it directly, in 20 local system reviews[^SOC18/R/04].',
      { h: 'Variation between areas' },
      'The reviews found wide variation between areas in how well older people move between services. The clearest measure is delayed transfers of care: the number of people who are medically ready to leave hospital but whose transfer is delayed. Across the areas we reviewed, the rate ranged from {ind:dtoc:lsr#min} in {ind:dtoc:lsr#minArea} to {ind:dtoc:lsr#max} in {ind:dtoc:lsr#maxArea} per 100,000 people aged 65 and over, against a median of {ind:dtoc:england#median} across all local authorities in England[^SOC18/D/05].',
      { chart: 'c:dtoc-area', caption: 'Delayed transfers of care per 100,000 people aged 65 and over, areas with a local system review, 2017/18', title: 'Delayed transfers of care varied eightfold between the areas we reviewed' },
      'The variation is not explained by need alone. Areas with similar populations and similar levels of deprivation had very different results, and the areas with the highest rates of delay also tended to have poorer ratings for their adult social care services. Emergency admissions of older people show a similar, if narrower, spread: from {ind:admissions:lsr#min} to {ind:admissions:lsr#max} per 100,000 people aged 65 and over[^SOC18/D/07].',
      { table: 't:dtoc-area', caption: 'Area indicators for the local system review areas, 2017/18' },
      { h: 'What made the difference' },
      'Where older people experienced joined-up care, we found the same features again and again: a shared vision that leaders across the system had agreed and communicated to staff; joint commissioning of services such as reablement; staff who knew and trusted colleagues in other organisations; and information that followed the person. Where care was fragmented, organisations worked to their own targets and budgets, and people fell into the gaps between them[^lsr:York:survey:relational].',
      'System leaders told us that the way health and care is funded and held to account works against them. In interviews, directors of adult social services described being measured on their own spending and their own targets, not on the outcomes of the people they shared with the NHS[^SOC18/I/01]. Trust chief executives described the same pressures from the other side[^SOC18/I/02].',
      { quote: 'We spend our time in meetings arguing about whose budget a person is on, when we should be talking about what that person needs.' },
      { h: 'One person’s journey' },
      'Behind the figures are people. In one area we tracked the journey of an older woman who was admitted to hospital after a fall on a Friday evening. She was ready to go home after one night, but there were no discharge staff working at the weekend to restart her home care[^lsr:Stockport:case file]. By Monday her home care provider had given her visits to someone else, and it took over a month to find a new package of care. She stayed in hospital throughout, lost her mobility and her confidence, and moved into a residential care home, where she remains. She told us she had wanted to go home[^lsr:Stockport:interview:discharge].',
      'Her story is not unusual. Across the 20 reviews we recorded {lsr:concern} concerns and {lsr:strength} strengths, and made {lsr:recommendation} recommendations to local systems. Figure 3 shows where the concerns lay: most were about what happens when an older person reaches a crisis, and about how they are helped to leave hospital and return home.',
      { chart: 'c:lsr-themes', caption: 'Concerns found by the local system reviews, by theme', title: 'Most concerns were about crisis care and getting home from hospital' },
      'We made recommendations to local systems in every theme. Table 4 shows how they were spread across the themes.',
      { table: 't:lsr-themes', caption: 'Recommendations of the local system reviews, by theme' },
    ],
  },
  {
    title: 'Adult social care',
    status: 'in review',
    owner: 'Adult social care directorate',
    blocks: [
      'Adult social care supports hundreds of thousands of people each day, in care homes, in their own homes and in the community. As at 31 July 2018 we had rated {n:asc} adult social care services.',
      { h: 'Ratings' },
      'Overall, {go:asc:overall:now} of adult social care services were rated good or outstanding ({r:asc:good:now} good and {r:asc:outstanding:now} outstanding), compared with {go:asc:overall:prev} ({r:asc:good:prev} and {r:asc:outstanding:prev}) a year earlier; figures may not sum due to rounding. The share rated requires improvement fell from {r:asc:ri:prev} to {r:asc:ri:now}, and {r:asc:inadequate:now} were rated inadequate[^SOC18/D/01][^SOC18/D/04].',
      { chart: 'c:asc-kq', caption: 'Adult social care: ratings by key question, as at 31 July 2018', title: 'Safe and well-led were the weakest key questions in adult social care' },
      'Caring remained the strongest key question, with {go:asc:caring:now} of services rated good or outstanding. Safe and well-led were the weakest: {go:asc:safe:now} for safe and {go:asc:well-led:now} for well-led. Services that were well-led were much more likely to be good in every other respect; we have seen many services improve after a change of registered manager.',
      { table: 't:asc-kq', caption: 'Adult social care: share of services rated good or outstanding by key question, 2017 and 2018' },
      { h: 'Variation between regions' },
      'Quality varies between regions as well as between local areas. The figure and table below show the ratings of adult social care services in each region. Regional figures are averages: they hide wider differences between the local authorities within each region, which is where care is commissioned and where the integration lottery is decided.',
      { chart: 'lib:asc-distribution-by-region-chart', caption: 'Adult social care: overall ratings by region, as at 31 July 2018', title: 'The West Midlands had the smallest share of services rated good or outstanding' },
      { table: 'lib:asc-good-outstanding-by-region', caption: 'Adult social care services rated good or outstanding, by region, as at 31 July 2018' },
      { h: 'Moving towards the tipping point' },
      'Ratings also show which way services are moving. Of the {mv:asc#rated} adult social care services rated both on 31 July 2017 and on 31 July 2018, {mv:asc#improved} moved to a better overall rating and {mv:asc#deteriorated} to a worse one; the rest kept the rating they had, most of them because they had not been inspected again. Across England, {mv:asc#balance}.',
      'That balance is not the same everywhere. Of the {mv:lsr#groups} areas where we carried out a local system review, more services improved than deteriorated in {mv:lsr#groupsImproving}, and in {mv:lsr#groupsDeteriorating} more deteriorated than improved. Those are the areas moving towards the tipping point, where decline begins to outpace improvement. The figure below shows each area, from the one improving most to the one improving least.',
      { chart: 'c:asc-movement', caption: 'Adult social care services whose overall rating deteriorated (left) and improved (right) between 31 July 2017 and 31 July 2018, areas with a local system review', title: 'In most areas we reviewed, more services improved than deteriorated' },
      { h: 'A fragile market' },
      'The quality of care is being maintained against a difficult background. In all, {fact:contracts} councils told the Association of Directors of Adult Social Services that home care providers had handed back contracts in the previous six months, affecting {fact:affected} people[^SOC18/R/01]. Providers told us that the fees councils pay do not cover the cost of care, particularly in home care and nursing homes[^SOC18/R/05].',
      'Our market oversight of the largest providers found that several face significant financial risk[^SOC18/R/06]. If a large provider were to fail, the councils that depend on it would have to find alternative care for thousands of people at short notice.',
      { h: 'Workforce and unmet need' },
      'Staff are the most important resource in adult social care, and they are in short supply. There were around {fact:vacancies} vacancies across the sector[^SOC18/R/03], and registered managers told us that recruiting and keeping care staff was their greatest difficulty[^SOC18/S/01]. At the same time, an estimated {fact:unmet} older people have care needs that are not met, and family carers are filling the gap[^SOC18/R/02].',
      'We heard directly about the consequences. Complaints about home care described visits that were missed or cut short, leaving people without meals or medicines[^SOC18/C/01].',
    ],
  },
  {
    title: 'Hospitals',
    status: 'draft',
    owner: 'Hospitals directorate',
    blocks: [
      'NHS hospitals continued to work under intense pressure in 2017/18, with a particularly difficult winter. Despite this, the quality of care in acute hospitals improved.',
      { h: 'NHS acute hospitals' },
      'As at 31 July 2018, {r:acute:good:now} of NHS acute core services were rated good and {r:acute:outstanding:now} outstanding, up from {r:acute:good:prev} and {r:acute:outstanding:prev} a year earlier. The share rated requires improvement fell from {r:acute:ri:prev} to {r:acute:ri:now}, and {r:acute:inadequate:now} were rated inadequate[^SOC18/D/02].',
      'Urgent and emergency care is where pressure on the whole system shows first. During our winter visits we saw crowded emergency departments, patients waiting on trolleys in corridors and staff working beyond their shifts[^SOC18/O/01]. Trusts that coped best had worked with their local partners to keep people out of hospital and to discharge them promptly, which is the integration lottery seen from the hospital’s side.',
      'We also heard from people stranded in hospital. One man waited several weeks on a ward for a nursing home place to become available, his family told us, while his health deteriorated[^SOC18/C/02].',
      { h: 'NHS mental health services' },
      'In NHS mental health services, {go:mh:overall:now} of core services were rated good or outstanding, compared with {go:mh:overall:prev} a year earlier; {r:mh:outstanding:now} were rated outstanding, {r:mh:ri:now} requires improvement and {r:mh:inadequate:now} inadequate.',
      { chart: 'c:core-services', caption: 'NHS acute and mental health core services: overall ratings, as at 31 July 2018', title: 'Mental health core services were rated better than acute core services' },
    ],
  },
  {
    title: 'Primary medical services',
    status: 'approved',
    owner: 'Primary medical services directorate',
    blocks: [
      'General practice has the highest ratings of any sector we regulate. As at 31 July 2018, {go:gp:overall:now} of GP practices were rated good or outstanding ({r:gp:good:now} good and {r:gp:outstanding:now} outstanding; figures may not sum due to rounding), compared with {go:gp:overall:prev} a year earlier; {r:gp:ri:now} were rated requires improvement and {r:gp:inadequate:now} inadequate[^SOC18/D/03].',
      'Ratings for the individual key questions tell the same story as in other sectors: practices are most often rated good or outstanding for caring, and least often for safe.',
      { table: 't:kq-gp', caption: 'GP practices rated good or outstanding, by key question, 2017 and 2018' },
      'The great majority of practices that we rated inadequate and then re-inspected had improved. Practices that improved shared features we see across all sectors: clinical leadership that engaged the whole team, good systems for learning from incidents, and a willingness to seek help.',
      'GP practices are also central to joined-up care for older people. In the local system reviews, the areas that worked best had practices that knew their frail older patients, shared information with community teams and care homes, and were involved in planning discharge.',
    ],
  },
  {
    title: 'Safety',
    status: 'in review',
    owner: 'Chief inspectors',
    blocks: [
      'Safety is the key question with the weakest ratings in every sector. Safe care depends on enough staff with the right skills, on learning from things that go wrong, and on good management of medicines and risks, and these are the areas under most pressure.',
      'There has been improvement. In adult social care, {go:asc:safe:now} of services were rated good or outstanding for safe, compared with {go:asc:safe:prev} a year earlier, a change of {chg:asc:safe}. In NHS acute core services the share {dir:acute:safe#direction} from {go:acute:safe:prev} to {go:acute:safe:now}; in mental health core services it {dir:mh:safe#direction} from {go:mh:safe:prev} to {go:mh:safe:now}.',
      'The figure below compares the types of service on the safe rating of each location, at both dates.',
      { chart: 'c:safe-yoy', caption: 'Locations rated good or outstanding for safe, by type of service, 2017 and 2018', title: 'The share rated good or outstanding for safe rose in every type of service' },
      'But too many services still require improvement. As at 31 July 2018, {ri:acute:safe:now} of NHS acute core services and {ri:mh:safe:now} of mental health core services were rated requires improvement for safe. The most common reasons were shortages of nursing staff, poor management of medicines, and risks to patients that were identified but not acted on.',
      { table: 't:safe-sector', caption: 'Safe ratings of locations by type of service, as at 31 July 2018' },
      'Percentages are rounded to whole numbers, so figures may not sum due to rounding: a type of service’s good and outstanding shares in the table can differ by a point from its share rated good or outstanding in the figure above.',
      'Concerns raised with us by staff and the public remain one of our most important sources of information about safety[^SOC18/D/09]. We followed up every concern about a risk of harm, and in a number of cases brought forward an inspection as a result.',
    ],
  },
  {
    title: 'Looking ahead',
    status: 'draft',
    owner: 'Editorial board',
    blocks: [
      'The quality of care has held up well under pressure, but the pressure is not going away. Demand will rise as the population ages, and the services that keep people well at home are the ones under most financial strain. Without action, the gap between the areas where care is joined up and those where it is not will widen.',
      'Our findings point to a small number of changes that would make the most difference:',
      {
        ordered: true,
        list: [
          '**A shared plan.** Government should set out a shared plan for health and social care, with joint measures of performance that follow the person across organisational boundaries[^SOC18/M/01].',
          '**Sustainable funding for adult social care.** The long-term funding of adult social care must be settled, so that councils can commission care at a rate that supports a stable market[^SOC18/R/07].',
          '**Oversight of commissioning.** There should be independent oversight of how councils commission adult social care, as there is of how the NHS commissions health care.',
          '**A workforce strategy for care.** A national workforce strategy should cover adult social care as well as the NHS, with action on pay, training and career progression.',
          '**Information that follows the person.** Organisations should share information about the people they care for safely and routinely, so that people tell their story once.',
        ],
      },
      'Officials have told us that these questions are being considered in the development of the adult social care green paper[^SOC18/M/02]. We will continue to report on how well local systems work together, and next year we will publish the first national picture of the integration lottery across every area in England.',
    ],
  },
  {
    title: 'About the data',
    status: 'approved',
    owner: 'Analysis team',
    blocks: [
      '**This edition is built on demonstration data.** The ratings, indicators, reviews and evidence in this workspace are synthetic. National shares of ratings are calibrated to those published in State of Care 2017/18; everything below national level, and every name of a service, person or document, is invented.',
      'Ratings are the latest published rating for each location (or, for NHS trusts, each core service) and key question on or before the date shown: 31 July 2018 for this year and 31 July 2017 for the previous year. Services registered but not yet rated, and ratings outside the four-point scale (such as "Insufficient evidence to rate"), are excluded from percentages. Percentages are rounded to the nearest whole number, so they may not add up to 100, and shares of services rated good and outstanding may not sum to the share rated good or outstanding. Changes are calculated from the rounded percentages shown, so a change is always the difference between the two figures printed.',
      'Area indicators are for the local authority areas where we carried out a local system review. Rates per 100,000 people aged 65 and over use mid-2017 population estimates[^SOC18/D/10].',
      {
        grid: [
          ['Measure', 'Definition', 'Source'],
          ['Rated good or outstanding', 'Share of rated services whose latest rating is Good or Outstanding', 'CQC ratings'],
          ['Delayed transfers of care', 'Average delayed beds a day, people aged 65+, per 100,000 aged 65+', 'NHS England'],
          ['Emergency admissions', 'Emergency admissions of people aged 65+ per 100,000 aged 65+', 'Hospital Episode Statistics'],
          ['Unmet need', 'People aged 65+ who need help with at least one activity of daily living and receive none', 'Age UK'],
        ],
      },
      'Every figure in this report is a live figure, computed from the data when the report was published. The data download that accompanies it (a spreadsheet and a CSV file) gives every figure value in the report as a number, with what it measures, the type of service, area and date it is for, its unit and its source, so that any number can be checked and reused.',
    ],
  },
];

/** The local system review report: one area, following the review's themes. The area is filled in by reports.ts. */
export function localSystemReview(area: string): ProseSection[] {
  const a = area;
  return [
    {
      title: 'Summary',
      status: 'approved',
      owner: 'Local system review team',
      blocks: [
        `This report describes how well older people in ${a} move between health and social care: how they are supported to stay well at home, what happens when they reach a crisis, and how they are helped to return home from hospital. It was one of 20 local system reviews we carried out at the request of the Secretaries of State for Health and Social Care and for Housing, Communities and Local Government.`,
        `Older people in ${a} told us about staff who were kind and committed, but their experience depended on where they lived and when they needed help. Delayed transfers of care were {ind:dtoc:area} per 100,000 people aged 65 and over, within a range of {ind:dtoc:lsr#min} to {ind:dtoc:lsr#max} across the 20 areas we reviewed[^lsr:${a}:dataset:delayed].`,
      ],
    },
    {
      title: 'About this review',
      status: 'approved',
      owner: 'Local system review team',
      blocks: [
        `We reviewed the health and social care system in ${a}, looking at the interfaces between services and at how people aged 65 and over move through them. We read the system’s own assessment[^lsr:${a}:document:overview], met system leaders, staff and people who use services, observed meetings and tracked the journeys of individual people.`,
        { list: ['Maintaining the wellbeing of a person in their usual place of residence', 'Crisis management', 'Step down, return to usual place of residence and admission to a new place of residence'] },
      ],
    },
    {
      title: 'Step down and return home',
      status: 'in review',
      owner: 'Local system review team',
      blocks: [
        `Older people in ${a} were too often delayed in hospital when they were ready to leave. Staff in the discharge team described weekends without social work cover and disputes about who should fund care[^lsr:${a}:interview:focus group].`,
        `We tracked one person’s journey in detail[^lsr:${a}:case file]. It showed how a delay of a few days can turn into weeks, and how an older person’s independence is lost while they wait.`,
        { chart: 'c:dtoc-area', caption: 'Delayed transfers of care per 100,000 people aged 65 and over, areas with a local system review, 2017/18' },
      ],
    },
    {
      title: 'Leadership, commissioning and workforce',
      status: 'draft',
      owner: 'Local system review team',
      blocks: [
        `Leaders in ${a} were committed to working together[^lsr:${a}:interview:director], but had not yet agreed a shared strategy with measurable goals. The care market was fragile, and recruitment of care staff was the single biggest constraint on the system.`,
        { table: 't:lsr-themes', caption: 'Recommendations of the local system reviews, by theme' },
      ],
    },
    {
      title: 'What the system should do next',
      status: 'draft',
      owner: 'Local system review team',
      blocks: [
        {
          ordered: true,
          list: [
            'System leaders should agree a shared vision for older people’s care, with joint measures of success.',
            'Commissioners should work with providers to secure enough home care to support timely discharge, including at weekends.',
            'Partners should agree how information about older people is shared between hospital, community and social care staff.',
          ],
        },
      ],
    },
  ];
}
