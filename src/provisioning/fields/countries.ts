/**
 * The countries `usageLocation` may name. Graph's user resource: "A two-letter country code (ISO standard 3166)"
 * (microsoft-graph-docs-contrib api-reference/v1.0/resources/user.md, usageLocation). These are the 249 officially
 * assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency's list, as of 2024): two letters alone are not enough,
 * "UK" or "XX" are not countries and would only be refused by Entra once the account exists.
 */
export const isoCountryCodes: ReadonlySet<string> = new Set(
    (
        'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
        'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
        'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
        'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
        'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
        'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
        'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
    ).split(' '),
);

/**
 * What admins type instead of the ISO code, and the code they mean: the reserved codes in everyday use (UK for the
 * United Kingdom, EL for Greece in the EU's lists) and the alpha-3 codes and names of the countries the usage-location
 * picker lists first.
 */
const meant: Readonly<Record<string, string>> = {
    UK: 'GB', EL: 'GR', EN: 'GB',
    USA: 'US', GBR: 'GB', NLD: 'NL', DEU: 'DE', FRA: 'FR', BEL: 'BE', ESP: 'ES', ITA: 'IT', IRL: 'IE', SWE: 'SE', CHE: 'CH', CAN: 'CA', AUS: 'AU', JPN: 'JP', IND: 'IN',
    'UNITED STATES': 'US', 'UNITED KINGDOM': 'GB', 'GREAT BRITAIN': 'GB', ENGLAND: 'GB', NETHERLANDS: 'NL', HOLLAND: 'NL', GERMANY: 'DE', FRANCE: 'FR', BELGIUM: 'BE',
    SPAIN: 'ES', ITALY: 'IT', IRELAND: 'IE', SWEDEN: 'SE', SWITZERLAND: 'CH', CANADA: 'CA', AUSTRALIA: 'AU', JAPAN: 'JP', INDIA: 'IN',
};

/** The ISO code an admin most likely meant by a value that is not one, when that is obvious. */
export function countryMeant(typed: string): string | undefined {
    return meant[typed.trim().toUpperCase()];
}
