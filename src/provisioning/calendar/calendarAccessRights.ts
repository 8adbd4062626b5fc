// The calendar engine owns the rights it grants. The setup wizard's values (recipes/recipeTemplateValues.ts) re-export
// them, and the wizard's browser bundle compiles that file: so this one is plain data and imports nothing.

/** Calendar permission levels, as Outlook and Exchange name them. */
export const calendarAccessRights = ['Owner', 'PublishingEditor', 'Editor', 'PublishingAuthor', 'Author', 'NonEditingAuthor', 'Reviewer', 'Contributor', 'AvailabilityOnly', 'LimitedDetails'] as const;
export type CalendarAccessRight = (typeof calendarAccessRights)[number];
