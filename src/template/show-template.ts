// How a template is quoted in messages.

/** The template text as shown in messages: newlines escaped, long text shortened. */
export function showTemplate(s: string): string {
  const flat = s.replace(/\r?\n/g, '\\n');
  return `"${flat.length > 120 ? `${flat.slice(0, 117)}...` : flat}"`;
}
