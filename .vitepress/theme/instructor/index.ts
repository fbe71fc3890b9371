/**
 * The instructor-mode components. `docs/instructor.md` imports InstructorPage itself, so nothing needs registering;
 * a theme that wants `<InstructorPage />` on other pages registers it in `enhanceApp`:
 * `app.component('InstructorPage', InstructorPage)`.
 */
export { default as InstructorPage } from './InstructorPage.vue'
