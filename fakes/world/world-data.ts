/**
 * The vocabulary simulated worlds are built from: names (plain, accented, CJK, with characters Assets may reject),
 * departments with their job titles, offices and the domains of the fake tenant. Data only, so generate-world.ts
 * stays about structure.
 */

/** A name part as displayed, and the ASCII form used to build mail aliases. */
export type NamePart = readonly [display: string, ascii: string];

export const TENANT = {
  domain: 'contoso.com',
  /** Secondary SMTP domain: aliases live here. */
  aliasDomain: 'contoso.co.uk',
  onMicrosoft: 'contoso.onmicrosoft.com',
} as const;

export const GIVEN_NAMES: readonly NamePart[] = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Sandra',
  'Mark',
  'Ashley',
  'Steven',
  'Emily',
  'Paul',
  'Michelle',
  'Andrew',
  'Amanda',
  'Joshua',
  'Melissa',
  'Kevin',
  'Rebecca',
  'Brian',
  'Laura',
  'George',
  'Sophie',
  'Oliver',
  'Amelia',
  'Noah',
  'Olivia',
  'Liam',
  'Emma',
  'Lucas',
  'Mia',
  'Ethan',
  'Hannah',
  'Aaron',
  'Grace',
  'Samuel',
  'Chloe',
  'Priya',
  'Arjun',
  'Fatima',
  'Omar',
].map((name) => [name, name.toLowerCase()] as const);

export const SURNAMES: readonly NamePart[] = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Martin',
  'Jackson',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Hill',
  'Campbell',
  'Mitchell',
  'Roberts',
  'Carter',
  'Phillips',
  'Evans',
  'Turner',
  'Parker',
  'Collins',
  'Edwards',
  'Stewart',
  'Morris',
  'Murphy',
  'Cook',
  'Rogers',
  'Morgan',
  'Cooper',
  'Peterson',
  'Reed',
  'Bailey',
  'Bell',
  'Kelly',
  'Howard',
  'Ward',
  'Cox',
  'Patel',
  'Khan',
  'Nguyen',
  'Kim',
].map((name) => [name, name.toLowerCase()] as const);

/** Latin names with diacritics: display and mail alias differ. */
export const ACCENTED_NAMES: readonly (readonly [NamePart, NamePart])[] = [
  [
    ['José', 'jose'],
    ['García', 'garcia'],
  ],
  [
    ['Zoë', 'zoe'],
    ['Müller', 'muller'],
  ],
  [
    ['Łukasz', 'lukasz'],
    ['Wójcik', 'wojcik'],
  ],
  [
    ['Søren', 'soren'],
    ['Ødegaard', 'odegaard'],
  ],
  [
    ['Chloé', 'chloe'],
    ['Lefèvre', 'lefevre'],
  ],
  [
    ['İlkay', 'ilkay'],
    ['Gündoğan', 'gundogan'],
  ],
  [
    ['François', 'francois'],
    ['Dupré', 'dupre'],
  ],
  [
    ['Ana', 'ana'],
    ['Núñez', 'nunez'],
  ],
  [
    ['Björn', 'bjorn'],
    ['Åström', 'astrom'],
  ],
  [
    ['Dvořák', 'dvorak'],
    ['Čapek', 'capek'],
  ],
];

/** East Asian names (family name first in the display name, as the tenant would store them). */
export const CJK_NAMES: readonly (readonly [given: NamePart, family: NamePart])[] = [
  [
    ['伟', 'wei'],
    ['王', 'wang'],
  ],
  [
    ['娜', 'na'],
    ['李', 'li'],
  ],
  [
    ['美咲', 'misaki'],
    ['佐藤', 'sato'],
  ],
  [
    ['翔太', 'shota'],
    ['高橋', 'takahashi'],
  ],
  [
    ['민준', 'minjun'],
    ['김', 'kim'],
  ],
  [
    ['서연', 'seoyeon'],
    ['박', 'park'],
  ],
  [
    ['静', 'jing'],
    ['张', 'zhang'],
  ],
];

/** Display names with characters Assets may reject in names (`= ; : ? . "`), quotes and commas. */
export const RESERVED_CHARACTER_NAMES: readonly string[] = [
  `O'Brien, Seán "Jack"`,
  'Smith = Jones; Ops: Lead?',
  'Dr. Anne-Marie "AM" d\'Arc',
  'Lee, Min-jun (Contractor)',
  'Test: User; A=B?',
];

export interface Department {
  readonly name: string;
  /** Individual-contributor titles. */
  readonly titles: readonly string[];
  /** How managers in this department are called, by level below the department head. */
  readonly managerTitle: string;
}

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering',
    titles: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'QA Engineer',
      'DevOps Engineer',
      'Site Reliability Engineer',
    ],
    managerTitle: 'Engineering Manager',
  },
  {
    name: 'Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'Solutions Engineer', 'Account Manager'],
    managerTitle: 'Sales Manager',
  },
  {
    name: 'Marketing',
    titles: ['Marketing Specialist', 'Content Strategist', 'Product Marketing Manager', 'SEO Analyst'],
    managerTitle: 'Marketing Manager',
  },
  {
    name: 'Finance',
    titles: ['Accountant', 'Financial Analyst', 'Payroll Specialist', 'Accounts Payable Clerk'],
    managerTitle: 'Finance Manager',
  },
  { name: 'Human Resources', titles: ['HR Business Partner', 'Recruiter', 'People Operations Specialist'], managerTitle: 'HR Manager' },
  {
    name: 'IT',
    titles: ['Service Desk Analyst', 'Systems Administrator', 'Network Engineer', 'IT Asset Manager'],
    managerTitle: 'IT Manager',
  },
  {
    name: 'Customer Support',
    titles: ['Support Engineer', 'Customer Success Manager', 'Support Specialist'],
    managerTitle: 'Support Team Lead',
  },
  {
    name: 'Operations',
    titles: ['Operations Analyst', 'Facilities Coordinator', 'Procurement Specialist'],
    managerTitle: 'Operations Manager',
  },
  { name: 'Legal', titles: ['Legal Counsel', 'Paralegal', 'Compliance Officer'], managerTitle: 'Legal Manager' },
  { name: 'Product', titles: ['Product Manager', 'Product Designer', 'UX Researcher'], managerTitle: 'Group Product Manager' },
];

export const EXECUTIVE_DEPARTMENT = 'Executive';
export const CEO_TITLE = 'Chief Executive Officer';

export const OFFICES: readonly string[] = ['London', 'Seattle', 'Berlin', 'Sydney', 'Tokyo', 'Bangalore', 'Remote'];

/** Exactly 300 characters: longer than the 255 an Assets text attribute holds. */
export const LONG_JOB_TITLE =
  'Senior Vice President of Global Strategic Transformation, Enterprise Architecture, Cloud Platform Engineering, ' +
  'Information Security, Data Governance and Regulatory Compliance for the Europe, Middle East and Africa Region, ' +
  'reporting to the Office of the Chief Executive Officer and the Board (EMEA HQ)';

/** Where guests come from (their real, external address). */
export const PARTNER_DOMAINS: readonly string[] = ['fabrikam.com', 'northwindtraders.com', 'adventure-works.com', 'tailspintoys.com'];

/** Domains of JSM portal customers and of Atlassian accounts that match nobody in the tenant. */
export const CUSTOMER_DOMAINS: readonly string[] = ['gmail.com', 'outlook.com', 'example.org', 'customer-corp.com'];
export const CONTRACTOR_DOMAINS: readonly string[] = ['contractor-hub.io', 'freelance.dev', 'oldco.com'];

/** Atlassian app accounts seen on real sites. */
export const APP_ACCOUNT_NAMES: readonly string[] = [
  'Automation for Jira',
  'Slack',
  'Microsoft Teams for Jira Cloud',
  'Opsgenie',
  'Jira Service Management Widget',
  'Statuspage',
  'GitHub for Jira',
  'Forge app',
];

/** Where each office is (city, country, usage location); "Remote" people have none. */
export const OFFICE_PLACES: Readonly<Record<string, { city: string; country: string; usageLocation: string } | null>> = {
  London: { city: 'London', country: 'United Kingdom', usageLocation: 'GB' },
  Seattle: { city: 'Seattle', country: 'United States', usageLocation: 'US' },
  Berlin: { city: 'Berlin', country: 'Germany', usageLocation: 'DE' },
  Sydney: { city: 'Sydney', country: 'Australia', usageLocation: 'AU' },
  Tokyo: { city: 'Tokyo', country: 'Japan', usageLocation: 'JP' },
  Bangalore: { city: 'Bengaluru', country: 'India', usageLocation: 'IN' },
  Remote: null,
};

export const COMPANIES: readonly string[] = ['Contoso Ltd', 'Contoso Ltd', 'Contoso Ltd', 'Contoso Pharmaceuticals', 'Contoso Retail GmbH'];
export const DIVISIONS: readonly string[] = ['Corporate', 'Products', 'Field Operations', 'Shared Services'];
export const EMPLOYEE_TYPES: readonly string[] = ['Employee', 'Employee', 'Employee', 'Employee', 'Contractor', 'Intern'];

/** The app registration whose directory extension properties the built-in tenant holds (its appId without hyphens). */
export const EXTENSION_APP_ID = 'b7d1a3f2c4e54a6b8f9d0e1f2a3b4c5d';
export const WORLD_EXTENSION_PROPERTIES = {
  costCentre: `extension_${EXTENSION_APP_ID}_costCentre`,
  badgeNumber: `extension_${EXTENSION_APP_ID}_badgeNumber`,
} as const;

/** Exactly 300 characters with no spaces at the end: longer than an Assets Text attribute holds. */
export const LONG_VALUE = `Contoso ${'Holdings and Subsidiaries '.repeat(11)}International`.slice(0, 300);
/** Values real directories hold that are easy to get wrong: Unicode, emoji, quotes, reserved characters. */
export const ODD_VALUES: readonly string[] = ['Recherche & Développement 🚀', 'O\'Brien "Ops" <EMEA>', '研究開発部', 'a;b=c?d.e:f'];
