// What "Show Details" shows of an object, as plain data with no imports: the details view's page (a browser bundle)
// reads these types too, so they must not pull in the Graph or Exchange clients.

/** One `label: value` line. Values are plain text as the tenant gave them (never markup); `copy` offers a Copy button. */
export interface DetailsFact {
    label: string;
    /** Empty when the tenant has no value; the view shows a dash. */
    value: string;
    copy?: boolean;
}

/** One entry of a list (a group, a role, a licence, a member), with what the admin needs to tell it apart. */
export interface DetailsItem {
    text: string;
    detail?: string;
    /** A word that warns, shown as a badge: "privileged". */
    badge?: string;
}

/** A heading and what is under it: facts, a list, or both; `empty` says what an empty list means. */
export interface DetailsSection {
    heading: string;
    facts?: DetailsFact[];
    items?: DetailsItem[];
    empty?: string;
    /** Said under a list that is only the first page. */
    more?: string;
}

/** An object as the details view shows it: plain data, so the page, the tests and anything else read the same thing. */
export interface ObjectDetails {
    /** In the admin's words: "User", "Service account", "Security group", "Privileged role", "Licence", "Mailbox". */
    kind: string;
    name: string;
    /** The one line under the name: a UPN, an address, a part number and units. */
    summary: string;
    sections: DetailsSection[];
}
