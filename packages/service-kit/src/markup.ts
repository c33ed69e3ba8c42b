/**
 * Text made safe inside HTML or XML, in an element or a quoted attribute: the five characters
 * that could end either are written as numeric character references.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
