/** The people of the demo organisation: names, departments, titles and offices (realistic, not real). */

/** The first people are named as in Microsoft's own demo tenants, so screenshots and tests read naturally. */
export const namedPeople: readonly [given: string, surname: string][] = [
    ['Adele', 'Vance'], ['Alex', 'Wilber'], ['Allan', 'Deyoung'], ['Bianca', 'Pala'], ['Christie', 'Cline'], ['Debra', 'Berry'],
    ['Diego', 'Siciliani'], ['Emily', 'Braun'], ['Enrico', 'Cattaneo'], ['Gerhart', 'Moller'], ['Grady', 'Archie'], ['Henrietta', 'Mueller'],
    ['Irvin', 'Sayers'], ['Isaiah', 'Langer'], ['Johanna', 'Lorenz'], ['Joni', 'Sherman'], ['Lee', 'Gu'], ['Lidia', 'Holloway'],
    ['Lynne', 'Robbins'], ['Megan', 'Bowen'], ['Miriam', 'Graham'], ['Nestor', 'Wilke'], ['Patti', 'Fernandez'], ['Pradeep', 'Gupta'],
    ['Raul', 'Razo'], ['Sofia', 'Koch'], ['Tomas', 'Novak'], ['Yuki', 'Tanaka'], ['Zainab', 'Haddad'], ['Aiko', 'Nakamura'],
    ['Bruno', 'Silva'], ['Chloe', 'Moreau'], ['Dmitri', 'Petrov'], ['Elena', 'Rossi'], ['Farah', 'Mensah'], ['Gustav', 'Lindqvist'],
    ['Hana', 'Okafor'], ['Ivan', 'Kowalski'], ['Jonas', 'Jensen'], ['Kofi', 'Asante'], ['Leila', 'Karimi'], ['Marco', 'Bianchi'],
    ['Nadia', 'Haddad'], ['Oscar', 'Lindgren'], ['Priya', 'Raman'], ['Quentin', 'Dubois'], ['Rosa', 'Martinez'], ['Samir', 'Farouk'],
    ['Tara', 'Quinn'], ['Ulla', 'Virtanen'], ['Victor', 'Almeida'], ['Wen', 'Zhou'], ['Xavier', 'Laurent'], ['Yara', 'Costa'],
];

export const givenNames: readonly string[] = [...new Set(namedPeople.map(p => p[0])), 'Amara', 'Ben', 'Carla', 'David', 'Eva', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jakob', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Paul', 'Rina', 'Sven', 'Theo', 'Vera', 'Zoltan'];
export const surnames: readonly string[] = [...new Set(namedPeople.map(p => p[1])), 'Andersen', 'Becker', 'Carter', 'Dalton', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jovanovic', 'Keller', 'Lopez', 'Meyer', 'Nowak', 'Olsen', 'Park', 'Richter', 'Schmidt', 'Torres', 'Weber'];

export const departments: readonly string[] = ['Sales', 'Marketing', 'Finance', 'Human Resources', 'IT', 'Operations', 'Legal', 'Support'];

export const jobTitles: Readonly<Record<string, readonly string[]>> = {
    Sales: ['Account Executive', 'Sales Manager', 'Sales Representative', 'Inside Sales Specialist'],
    Marketing: ['Marketing Manager', 'Content Strategist', 'Brand Designer', 'Product Marketing Manager'],
    Finance: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'],
    'Human Resources': ['HR Business Partner', 'Recruiter', 'HR Manager'],
    IT: ['Systems Engineer', 'Service Desk Analyst', 'IT Manager', 'Cloud Architect'],
    Operations: ['Operations Coordinator', 'Logistics Planner', 'Facilities Manager'],
    Legal: ['Corporate Counsel', 'Paralegal', 'Compliance Officer'],
    Support: ['Support Engineer', 'Customer Success Manager', 'Support Team Lead'],
};

export interface Office {
    city: string;
    /** Usage location (ISO 3166 alpha-2), required for licence assignment. */
    country: string;
    /** The mailbox language, which names the calendar folder. */
    language: string;
}

export const offices: readonly Office[] = [
    { city: 'Seattle', country: 'US', language: 'en' },
    { city: 'London', country: 'GB', language: 'en' },
    { city: 'Munich', country: 'DE', language: 'de' },
    { city: 'Amsterdam', country: 'NL', language: 'nl' },
    { city: 'Paris', country: 'FR', language: 'fr' },
    { city: 'Madrid', country: 'ES', language: 'es' },
    { city: 'Seattle', country: 'US', language: 'en' },
    { city: 'Tokyo', country: 'JP', language: 'en' },
];
