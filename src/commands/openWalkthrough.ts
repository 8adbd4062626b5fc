import { openWalkthrough as open } from '../platform/walkthrough';

/** "Get Started" in each view's `…` menu and the palette: the walkthrough, however often the admin wants it. */
export async function openWalkthrough(): Promise<void> {
    await open();
}
