/**
 * Regulator prose for the demonstration workspace's local system reviews: theme summaries and findings in the voice
 * of CQC's "Beyond barriers" reviews, about older people moving between health and social care.
 *
 * Placeholders: {area} the place reviewed, {trust} its main acute trust, {n} {pct} {days} {weeks} numbers the
 * generator fills in so that the same sentence reads differently from area to area.
 */

export type Judgement = 'strength' | 'concern' | 'recommendation';

export const FINDINGS: Record<string, Record<Judgement, readonly string[]>> = {
  'wellbeing-at-home': {
    strength: [
      'People in {area} could get advice and low-level support close to home through a network of community hubs run jointly by the council and the voluntary sector; older people we met valued being able to drop in without an appointment.',
      'Social prescribing link workers were attached to every GP practice in {area}, and practices told us that older people who were lonely or struggling at home were being connected to befriending, exercise and lunch clubs within a fortnight.',
      'Multidisciplinary teams built around groups of GP practices met weekly to review older people at risk of admission. Community nurses, social workers and pharmacists shared one list, and staff could describe how this had kept named people out of hospital.',
      'Carers in {area} had access to a well-regarded carers’ centre, and carers’ assessments were completed promptly. Carers we spoke with felt recognised and knew who to call in an emergency.',
      'Falls prevention was a shared priority: the ambulance service, the falls team and the council’s occupational therapists ran a joint pathway, and fewer than {pct}% of older people who fell at home and were seen by the service were taken to hospital.',
    ],
    concern: [
      'Older people and their families in {area} told us it was hard to find out what help was available before a crisis. Information was spread across council, NHS and voluntary sector websites that did not agree with each other.',
      'Preventive services had been cut back as budgets tightened. The council had reduced its spending on early help for older people, and voluntary organisations described growing waiting lists for befriending and handyperson services.',
      'Access to GP appointments varied widely across {area}. Some practices offered home visits and same-day appointments for frail older people; in others, people waited up to {weeks} weeks for a routine appointment.',
      'There was no shared register of older people living with frailty. Each organisation identified people at risk in its own way, so the same person could be known to several teams and no team had the whole picture.',
      'Support for unpaid carers was inconsistent. Carers told us they had not been offered an assessment of their own needs, and several described reaching breaking point before anyone asked how they were coping.',
    ],
    recommendation: [
      'System leaders in {area} should agree a single, shared way of identifying older people living with frailty, and use it to target proactive care across GP practices, community health services and social care.',
      'The council and the CCG should jointly commission clear, up-to-date information and advice for older people and carers, available in one place and in formats people can use.',
      'Leaders should protect investment in prevention and early help, and measure its effect on admissions to hospital and to care homes, so that decisions about funding rest on evidence.',
    ],
  },
  crisis: {
    strength: [
      'A rapid response service could put nursing and care support into an older person’s home within two hours of a call, seven days a week. Staff gave us examples of people who would otherwise have been taken to the emergency department.',
      'Paramedics in {area} could speak directly to a senior clinician and to the community rapid response team before deciding to convey an older person to hospital, and conveyance rates for people aged 65 and over had fallen.',
      'The frailty unit at {trust} assessed older people within hours of arrival, and around {pct}% went home the same day with support arranged, rather than being admitted to a ward.',
      'Care homes had a named GP and a weekly ward round, and staff could call a dedicated advice line out of hours. Care home managers told us this had reduced 999 calls for residents.',
    ],
    concern: [
      'Too many older people in {area} were admitted to hospital in an emergency when a different response could have kept them at home. Emergency admissions of people aged 65 and over were well above the England average.',
      'The emergency department at {trust} was under sustained pressure. Older people waited on trolleys for long periods, and staff told us that frail patients were sometimes admitted because there was nowhere safe to send them at night.',
      'Community services were not available around the clock. Out of hours, GPs and paramedics had few alternatives to hospital, and we saw older people admitted for reasons that were social rather than medical.',
      'Care homes told us they were not confident to manage deterioration in residents’ health and called an ambulance as the safe option. Training and clinical support for care home staff varied from home to home.',
      'Mental health crisis support for older people was limited. Staff described older people with dementia who became distressed at home being taken to the emergency department because no specialist team could respond.',
    ],
    recommendation: [
      'Leaders should make sure that alternatives to hospital admission, including rapid response and crisis support, are available seven days a week and out of hours, and that paramedics and GPs know how to reach them.',
      'The system should give care homes consistent clinical support, including a named clinician, training in recognising deterioration and access to advice at any time.',
      'The A&E delivery board should review why older people are admitted in an emergency, using case reviews as well as data, and act on what it finds.',
    ],
  },
  'step-down': {
    strength: [
      'A discharge-to-assess model meant that most older people went home from {trust} with short-term support while their longer-term needs were assessed in their own home, rather than waiting in hospital for an assessment.',
      'Reablement in {area} was well regarded. Around {pct}% of older people were still at home 91 days after discharge into reablement, and people told us the reablement workers had helped them regain their confidence.',
      'Social workers, therapists and discharge coordinators worked as one integrated discharge team based at the hospital, with shared paperwork and a daily meeting, and staff said disputes about who should pay for care were rare.',
      'Trusted assessor arrangements allowed care homes to accept the hospital’s assessment of a resident, so people returning to their care home no longer waited for the home to send its own assessor.',
    ],
    concern: [
      'Delayed transfers of care were high. On a typical day in 2017/18 around {n} older people in {trust} were medically fit to leave but waiting for care to be arranged, and some waited more than {days} days.',
      'Discharge arrangements did not work at weekends. Social workers and discharge coordinators worked Monday to Friday, so older people who were ready to leave on a Friday afternoon often stayed until the following week.',
      'There were not enough home care workers to meet demand. Packages of care took weeks to start, and older people were moved to care homes as an interim measure and then did not return home.',
      'Reablement capacity was too small. Fewer than {pct}% of older people discharged from hospital were offered reablement, and the service had a waiting list that meant people missed the window in which it helps most.',
      'Older people told us they were not involved in decisions about leaving hospital. Some were discharged late at night, or without their medicines, and families were not told until the person had arrived home.',
      'Assessments were repeated at every step. Older people and their families told us they had to tell their story again to each new professional, and hospital staff did not know what support people had before admission.',
    ],
    recommendation: [
      'Leaders should make discharge a seven-day service, with social work, therapy, transport and pharmacy available at weekends, so that people leave hospital as soon as they are ready.',
      'The council and the CCG should jointly plan and commission enough home care and reablement to meet demand, and monitor how long people wait for care to start.',
      'The system should adopt a single assessment that follows the person from hospital into community services and social care, so that older people tell their story once.',
      'Leaders should make sure that interim placements in care homes are reviewed within weeks and that people are supported to return home when they can.',
    ],
  },
  leadership: {
    strength: [
      'System leaders in {area} shared a clear vision for older people’s care that was understood by staff on the front line. The health and wellbeing board was an active forum for decisions, not just for updates.',
      'Relationships between the council, the CCG and {trust} were mature and trusting. Leaders described disagreeing openly and resolving problems together rather than protecting their own organisations.',
      'Leaders had a joint set of measures for older people’s care, reviewed monthly across organisations, so that each could see the effect of its decisions on the others.',
    ],
    concern: [
      'There was no shared vision for older people’s care in {area}. Each organisation had its own plan, and the plans did not describe how people would move between services.',
      'Relationships between system leaders had been strained by disputes about money. Staff told us that decisions were delayed while organisations argued about who should pay.',
      'Leaders focused on their own organisation’s performance targets. Incentives in the system rewarded each organisation for managing its own pressures rather than for what worked best for the person.',
      'Frequent changes of senior leaders had left the system without stable leadership. Staff were unclear about who was responsible for joint plans.',
    ],
    recommendation: [
      'System leaders in {area} should agree a shared vision and strategy for older people’s health and social care, with joint measures of success and clear accountability for delivering it.',
      'The health and wellbeing board should hold all partners to account for joint plans, including the Better Care Fund, and review progress against measures that follow the person rather than the organisation.',
    ],
  },
  commissioning: {
    strength: [
      'The council and the CCG had pooled budgets well beyond the minimum required by the Better Care Fund, and used a joint commissioning team to buy home care, reablement and intermediate care together.',
      'Commissioners worked closely with care providers. Providers told us they were involved in planning, paid fairly and on time, and the council had an honest picture of the pressures in the local market.',
      'Commissioners had used outcome-based contracts for home care, and providers had more freedom to arrange visits around what people wanted, rather than around fixed time slots.',
    ],
    concern: [
      'The local care market was fragile. Home care providers had handed back contracts in the past year, and the council had found it hard to place people whose needs were complex.',
      'Fees paid to care homes and home care providers had not kept pace with costs. Providers described difficulty paying staff the National Living Wage and several care homes in {area} had closed.',
      'Commissioning was fragmented: the council and the CCG bought similar services separately, on different terms, and neither had a full picture of what was available to older people.',
      'There were not enough nursing home beds for people with dementia, and older people were placed outside {area}, away from their families.',
    ],
    recommendation: [
      'Commissioners should develop a joint market position statement with providers, setting out how the council and the CCG will secure enough good-quality home care and care home places.',
      'The council and the CCG should commission services jointly where they serve the same people, and agree fees that reflect the real cost of care.',
    ],
  },
  workforce: {
    strength: [
      'Health and social care organisations in {area} had a joint workforce plan, shared recruitment campaigns and a rotational apprenticeship that let care workers gain experience in hospital, community and home care.',
      'Staff we met were committed and proud of their work. Teams described good support from managers and opportunities to develop, and turnover in council-run services was low.',
    ],
    concern: [
      'Recruitment and retention of care staff was a serious problem. Providers in {area} reported vacancy rates of around {pct}%, and staff left for better-paid jobs in retail and hospitality.',
      'There were shortages of district nurses, occupational therapists and social workers, and agency staff filled gaps at high cost. Staff told us they did not have time to get to know the people they cared for.',
      'Workforce planning happened organisation by organisation. There was no shared picture of the staff the system would need to care for a growing number of older people.',
    ],
    recommendation: [
      'Leaders should develop a joint workforce strategy across health and social care, including shared recruitment, training and career pathways, so that organisations stop competing for the same staff.',
    ],
  },
  'information-sharing': {
    strength: [
      'A shared care record allowed GPs, hospital staff, community teams and social workers to see the same information about an older person, and staff could show us how it had avoided repeated tests and assessments.',
      'Information governance leads had agreed a single data sharing agreement across all partners in {area}, and staff were confident about what they could share and when.',
    ],
    concern: [
      'Information systems did not talk to each other. Hospital staff could not see social care records and social workers could not see hospital notes, so staff relied on telephone calls and faxes to share basic information.',
      'Staff were uncertain about what information they were allowed to share, and in some cases did not share information that would have kept an older person safe for fear of breaching data protection rules.',
      'Care homes did not receive discharge summaries or medicines information when residents came home from hospital. Care home staff told us they often had to phone the ward to find out what had happened.',
    ],
    recommendation: [
      'Leaders should accelerate work on a shared care record, and in the meantime agree simple ways for staff to share the information they need to keep older people safe.',
      'The system should make sure that care homes and home care providers receive timely discharge information, including medicines, for every person returning home.',
    ],
  },
};

/** The case State of Care 2017/18 told, told here as one area's finding. */
export const OLDER_WOMAN_CASE =
  'We tracked the journey of an older woman who was admitted to {trust} after a fall on a Friday evening. She was ready to go home after one night, but there were no discharge staff working at the weekend to restart her home care. By the time staff returned on Monday, her home care provider had given her visits to someone else, and it took over a month to find a new package of care. She stayed in hospital throughout, lost her mobility and her confidence, and was eventually discharged to a residential care home, where she remains. She told us she had wanted to go home.';

export const THEME_SUMMARIES: Record<string, readonly [string, string, string]> = {
  'wellbeing-at-home': [
    'Older people in {area} were well supported to stay well at home, with strong community networks and proactive care from general practice.',
    'Support to help older people stay well at home was patchy: good in some neighbourhoods, but preventive services had been reduced and information was hard to find.',
    'Too little was done to help older people in {area} stay well at home; services reacted to crises rather than preventing them.',
  ],
  crisis: [
    'When older people’s needs escalated, there were good alternatives to hospital and most could be supported at home or discharged the same day.',
    'Crisis responses were improving but not available at all times, so older people were still admitted to hospital when an alternative would have been better.',
    'Older people in crisis had few alternatives to the emergency department, and too many were admitted to hospital for want of support at home.',
  ],
  'step-down': [
    'Discharge from hospital worked well for most older people, with discharge to assess, good reablement and integrated teams.',
    'Discharge worked for many older people, but delays rose when home care was scarce and at weekends.',
    'Older people waited too long to leave hospital. Delayed transfers of care were high, weekend discharge was limited and reablement capacity was too small.',
  ],
  leadership: [
    'System leaders shared a clear vision for older people’s care and held each other to account through joint measures.',
    'Leaders were committed to working together but had not yet turned shared intentions into a joint strategy with measurable goals.',
    'There was no shared vision; relationships between leaders were strained and organisations focused on their own targets.',
  ],
  commissioning: [
    'Commissioning was joined up and the care market was relatively stable, with providers involved in planning.',
    'Commissioners were beginning to work together, but the home care market remained fragile.',
    'Commissioning was fragmented and the care market fragile, with contracts handed back and too few nursing beds.',
  ],
  workforce: [
    'A joint workforce plan and shared recruitment were helping the system hold on to care staff.',
    'Workforce pressures were recognised, but planning was still largely done organisation by organisation.',
    'Shortages of care staff, nurses and therapists were the biggest single constraint on the system.',
  ],
  'information-sharing': [
    'A shared care record and clear data sharing agreements meant staff could see the information they needed.',
    'Information sharing was improving, but systems were not yet connected and staff relied on workarounds.',
    'Information did not follow the person; staff could not see each other’s records and were unsure what they could share.',
  ],
};

export const REVIEW_SUMMARIES: readonly [string, string, string] = [
  'Older people in {area} generally experienced well-coordinated care as they moved between health and social care. System leaders had a shared vision and strong relationships, and joint working was visible on the front line. The challenge now is to sustain this as demand grows and the care workforce comes under more pressure.',
  'In {area} we found committed staff and some good joint working, but older people’s experience depended on where they lived and when they needed help. Leaders recognised the problems and were beginning to work together on them; they now need a shared strategy and joint measures to make care consistently joined up.',
  'Older people in {area} too often experienced fragmented care. Organisations worked in isolation, delayed transfers of care were high and the care market was fragile. Leaders need to agree a shared vision and act together, with urgency, so that older people get the right care in the right place.',
];

export const NATIONAL_FINDINGS: readonly { theme: string | null; judgement: Judgement; text: string }[] = [
  { theme: null, judgement: 'strength', text: 'Most people receive good care. The quality of care across health and adult social care was broadly maintained in 2017/18 despite significant pressures on funding, workforce and demand.' },
  { theme: null, judgement: 'concern', text: 'Safety remains the weakest of the five key questions across every sector we regulate, although the share of services rated good or outstanding for safe has risen year on year.' },
  { theme: 'leadership', judgement: 'concern', text: 'Whether people can get good care increasingly depends on where they live and how well local services work together: this is not so much a postcode lottery as an integration lottery.' },
  { theme: 'commissioning', judgement: 'concern', text: 'Adult social care is approaching a tipping point. Some areas are moving away from it as services improve, while in others deterioration is beginning to outpace improvement.' },
  { theme: 'commissioning', judgement: 'concern', text: 'The care market is fragile. Councils have reported home care providers handing back contracts, leaving people without the care they had been assessed as needing.' },
  { theme: 'wellbeing-at-home', judgement: 'concern', text: 'Around 1.2 million older people have care needs that are not met, and unpaid carers are filling the gap at growing cost to their own health.' },
  { theme: 'workforce', judgement: 'concern', text: 'Shortages of staff are one of the biggest risks to quality: there are tens of thousands of vacancies in adult social care, and nursing posts are hard to fill in both hospitals and care homes.' },
  { theme: 'leadership', judgement: 'concern', text: 'Funding, commissioning, regulation and performance management push organisations to look at their own performance rather than at joined-up care for the person.' },
  { theme: 'step-down', judgement: 'concern', text: 'Older people are too often stuck in hospital when they are ready to leave, because the care they need to go home is not available or not arranged in time.' },
  { theme: 'leadership', judgement: 'recommendation', text: 'Government should set out a shared plan for health and social care, with joint measures of performance that follow the person across organisational boundaries.' },
  { theme: 'commissioning', judgement: 'recommendation', text: 'There should be oversight of how councils commission adult social care, so that the market is shaped to meet local need and care is paid for at a sustainable rate.' },
  { theme: 'workforce', judgement: 'recommendation', text: 'A national workforce strategy should cover adult social care as well as the NHS, with action on pay, training and career progression for care workers.' },
  { theme: 'information-sharing', judgement: 'recommendation', text: 'Health and care organisations should be able to share information about the people they care for, safely and routinely, so that people tell their story once.' },
  { theme: null, judgement: 'strength', text: 'Services that improved shared common features: strong, stable leadership, an open culture that welcomed challenge, and staff who were involved in designing changes.' },
];

export const LOCATION_FINDINGS: Record<'good' | 'poor', readonly { theme: string | null; judgement: Judgement; text: string }[]> = {
  good: [
    { theme: null, judgement: 'strength', text: 'People told us they felt safe and that staff treated them with kindness and respect. Relatives were welcomed at any time and felt involved in decisions about care.' },
    { theme: 'leadership', judgement: 'strength', text: 'The registered manager was visible and well respected. Audits were thorough and led to action, and the provider learned from incidents and complaints.' },
    { theme: 'workforce', judgement: 'strength', text: 'There were enough suitably trained staff on every shift we looked at. Staff had regular supervision and said they felt valued.' },
    { theme: null, judgement: 'strength', text: 'Care plans were personalised and reviewed regularly, and described what mattered to each person as well as their health needs.' },
    { theme: 'step-down', judgement: 'strength', text: 'The service worked closely with the local hospital and community teams, and people returning from hospital had their needs reassessed within a day of arriving.' },
  ],
  poor: [
    { theme: null, judgement: 'concern', text: 'Medicines were not always managed safely. Medicines administration records had gaps, and staff could not tell us whether people had received their time-specific medicines.' },
    { theme: null, judgement: 'concern', text: 'Risks to people were not always assessed or managed. Two people at high risk of pressure ulcers had not been repositioned as their care plans required.' },
    { theme: 'workforce', judgement: 'concern', text: 'There were not enough staff deployed to meet people’s needs at night. Call bells went unanswered for long periods, and staff told us they were often short.' },
    { theme: 'leadership', judgement: 'concern', text: 'Governance was weak. The provider’s own audits had not identified the concerns we found, and actions from the last inspection had not been completed.' },
    { theme: null, judgement: 'recommendation', text: 'The provider should review how it assesses and records people’s capacity to consent, in line with the Mental Capacity Act 2005, and make sure staff understand their responsibilities.' },
    { theme: 'information-sharing', judgement: 'concern', text: 'Information about people’s needs was not shared reliably when they moved between services. One person returned from hospital without a discharge summary and their medicines were not reconciled for three days.' },
  ],
};
