// Must stay the first import: it configures zod before any schema exists.
import './zodConfig'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
// The tokens and the frame first: every component's own sheet comes after them.
import './styles/tokens.css'
import './styles/base.css'
import { App } from './App'

const root = document.getElementById('root')
if (!root) throw new Error('Proctor: the page has no #root element')

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
