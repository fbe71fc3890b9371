declare module 'virtual:lab-course' {
  import type { Course, Locale } from '../../protocol/course'
  const course: Course & { links: Record<Locale, Record<string, string>> }
  export default course
}
