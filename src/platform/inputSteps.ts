// How many questions a command asks in a row, counted from what its caller did not give (a row, an input object), so
// each input can say where the admin is ("2/4"), as VS Code's own multi-step inputs do: a quick input's `step` and
// `totalSteps` are drawn as "Title (2/4)" (quickInput.ts getTitle in microsoft/vscode). No vscode here: unit-tested.

/** Where one question stands among a command's questions: VS Code shows it in the input's title as "(step/totalSteps)". */
export interface StepPosition {
    readonly step: number;
    readonly totalSteps: number;
}

/**
 * The questions still to ask, in order. `questions` says, per question the command may ask, whether it will (false:
 * given by the row or the input object). `next()` is the next question's position; a command asking one question
 * gets none ("1/1" tells the admin nothing). A follow-up inside one question (a typed country after "Other…") takes
 * the same position again with `again()`.
 */
export class InputSteps {
    private total: number;
    private asked = 0;

    constructor(questions: readonly boolean[]) {
        this.total = questions.filter(Boolean).length;
    }

    next(): StepPosition | undefined {
        this.asked = Math.min(this.asked + 1, this.total);
        return this.position();
    }

    again(): StepPosition | undefined {
        return this.position();
    }

    /**
     * A question an earlier answer made necessary (a picked user turns out to have no usage location): the total grows,
     * so the questions still to come are counted right, though the ones already asked showed the smaller total.
     */
    add(): void {
        this.total++;
    }

    get totalSteps(): number {
        return this.total;
    }

    private position(): StepPosition | undefined {
        return this.total > 1 && this.asked > 0 ? { step: this.asked, totalSteps: this.total } : undefined;
    }
}


/**
 * What a list that came back empty says instead of nothing: why it is empty and what to do. Shown as the only row;
 * choosing it (or Escape) cancels the command, so nothing is guessed.
 */
export interface EmptyListRow {
    why: string;
    whatToDo: string;
}
