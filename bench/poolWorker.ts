/** A no-op pool worker for the pool case: serveTasks answering null. */
import { serveTasks } from '../src/client'

void serveTasks(() => null)
