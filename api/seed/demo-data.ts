/** Word lists for the demo agency's fictitious debtors. Realistic enough to search and sort. */
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Lisa', 'Daniel', 'Nancy',
  'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Margaret', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Andrew', 'Emily',
  'Paul', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah',
  'Timothy', 'Stephanie', 'Ronald', 'Rebecca', 'Jason', 'Laura', 'Edward', 'Sharon', 'Jeffrey', 'Cynthia', 'Ryan', 'Kathleen',
  'Luis', 'Ana', 'Carlos', 'Rosa', 'Jorge', 'Lucia', 'Minh', 'Mai', 'Wei', 'Ling', 'Ahmed', 'Fatima', 'Olga', 'Ivan',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Mitchell', 'Carter', 'Roberts', "O'Brien", 'McAllister', 'Van Dyke', 'Okafor', 'Kowalski', 'Schmidt', 'Yamamoto',
  'Petrov', 'Haddad', 'Chen', 'Patel', 'Singh', 'Kim', 'Park', 'Murphy', 'Sullivan', 'Fitzgerald', 'Delacroix', 'Novak',
];

export const MIDDLE_INITIALS = ['A', 'B', 'C', 'D', 'E', 'J', 'K', 'L', 'M', 'P', 'R', 'S', 'T', 'W'];

export const STREETS = [
  'Maple Ave', 'Oak St', 'Pine Rd', 'Cedar Ln', 'Elm St', 'Birch Way', 'Willow Dr', 'Lakeview Blvd', 'Hillcrest Rd',
  'Sunset Ave', 'River Rd', 'Mill St', 'Park Pl', 'Forest Dr', 'Meadow Ln', 'Church St', 'Main St', 'Highland Ave',
];

export const PLACES: [city: string, state: string, zip: string, area: string][] = [
  ['Portland', 'OR', '97205', '503'], ['Salem', 'OR', '97301', '503'], ['Eugene', 'OR', '97401', '541'],
  ['Vancouver', 'WA', '98660', '360'], ['Tacoma', 'WA', '98402', '253'], ['Spokane', 'WA', '99201', '509'],
  ['Boise', 'ID', '83702', '208'], ['Sacramento', 'CA', '95814', '916'], ['Reno', 'NV', '89501', '775'],
  ['Phoenix', 'AZ', '85004', '602'], ['Denver', 'CO', '80202', '303'], ['Austin', 'TX', '78701', '512'],
];

export const EMPLOYERS = [
  'Columbia Freight', 'Evergreen Schools', 'Summit Health', 'Harbor Logistics', 'Pioneer Foods', 'Self-employed',
  'Cascade Builders', 'Northstar Retail', 'City of Portland', 'Riverside Diner', null, null, null,
];

export const COLLECTOR_NOTES_CLIENT = [
  'Letter sent to debtor with balance detail.',
  'Debtor called in; requested itemized statement.',
  'Left voicemail at primary number.',
  'Skip trace completed; new address found.',
  'Debtor promised payment by end of month.',
  'Payment arrangement discussed; awaiting budget from debtor.',
];

export const COLLECTOR_NOTES_INTERNAL = [
  'INTERNAL: debtor was hostile on the phone; escalate to senior collector.',
  'INTERNAL: possible fraud flag from skip trace vendor; verify identity before settling.',
  'INTERNAL: consider 60% settlement if debtor calls back.',
];
