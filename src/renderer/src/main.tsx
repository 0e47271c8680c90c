// Must stay the first import: it configures zod before any schema exists.
import './zodConfig'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('Proctor: the page has no #root element')

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
