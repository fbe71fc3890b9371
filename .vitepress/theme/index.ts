/**
 * The course theme: VitePress's default theme plus the lab (status, gate, docked terminals, step blocks, Check
 * panels, the live topology). Step blocks, Check panels and the topology are placed by the markdown containers
 * `::: lab-step`, `::: lab-checks` and `::: lab-topology`.
 */
import type { Theme } from 'vitepress'
import DefaultTheme from 'vitepress/theme'
import LabChecks from './components/LabChecks.vue'
import LabLayout from './components/LabLayout.vue'
import LabStep from './components/LabStep.vue'
import LabTopology from './components/LabTopology.vue'
import './lab.css'

export default {
  extends: DefaultTheme,
  Layout: LabLayout,
  enhanceApp({ app }) {
    app.component('LabStep', LabStep)
    app.component('LabChecks', LabChecks)
    app.component('LabTopology', LabTopology)
  },
} satisfies Theme
