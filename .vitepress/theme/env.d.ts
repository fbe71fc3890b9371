declare module 'virtual:lab-course' {
  // A relative `import` is not allowed in an ambient module: the types come in through import() types instead.
  type Course = import('../../protocol/course').Course
  type Locale = import('../../protocol/course').Locale
  const course: Course & { links: Record<Locale, Record<string, string>> }
  export default course
}
