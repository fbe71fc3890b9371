/**
 * The course theme: VitePress's default theme plus the lab (status, gate, docked terminals, step blocks, Check
 * panels). Step blocks and Check panels are placed by the markdown containers `::: lab-step` and `::: lab-checks`.
 */
import type { Theme } from 'vitepress'
import DefaultTheme from 'vitepress/theme'
import LabLayout from './components/LabLayout.vue'
import LabStep from './components/LabStep.vue'
import LabChecks from './components/LabChecks.vue'
import './lab.css'

export default {
  extends: DefaultTheme,
  Layout: LabLayout,
  enhanceApp({ app }) {
    app.component('LabStep', LabStep)
    app.component('LabChecks', LabChecks)
  },
} satisfies Theme
