"use client";
// The kanban board: live cards, drag and drop with the API's rules (a whole card drags, a click
// opens it; columns it may not enter are marked while it moves; optimistic, sprung back with the
// server's reason when refused), filters, search and story creation.
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { RouterOutputs } from "@drover/api";
import { moveProblem, STAGES, type StageName } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import * as Toast from "@radix-ui/react-toast";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type KeyboardEvent, type MouseEvent } from "react";
import { ConfigErrorWording } from "@/components/config-error-wording";
import { DemoAutopilotNote } from "@/components/demo-autopilot-note";
import { fmtCost, StatusGlyph } from "@/components/glyph";
import { HeldBadge } from "@/components/held-badge";
import { errorMessage } from "@/lib/error-message";
import { useLiveProject } from "@/lib/live";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { positionBetween } from "@/lib/position";
import { storyHref } from "@/lib/story-href";
import { boardAnnouncements, boardInstructions } from "./announcements";
import { NewStoryDialog } from "./new-story-dialog";
import { SandboxOffWarning } from "./sandbox-off-warning";

type Card = RouterOutputs["views"]["board"]["stories"][number];
/** The columns; archived ones only on request. */
const COLUMNS = STAGES.filter((s) => s !== "archived");
const isStage = (s: string | undefined): s is StageName => (STAGES as readonly (string | undefined)[]).includes(s);
/** Why `card` may not be dropped in `stage` (null when it may): core's rule, the one the API applies. */
const dropProblem = (card: { stage: string }, stage: string) =>
  isStage(card.stage) && isStage(stage) && card.stage !== stage ? moveProblem(card.stage, stage) : null;

/**
 * The column under the pointer wins, so a drop just inside the next column lands there (the
 * dragged card's corners would still be nearer its own column); the keyboard, with no pointer,
 * goes by corners.
 */
const forgivingCollision: CollisionDetection = (args) => {
  const underPointer = pointerWithin(args);
  return underPointer.length ? underPointer : closestCorners(args);
};
/** Space lifts and drops a card, Enter opens it (and drops a lifted one), Escape cancels. */
const KEYBOARD_CODES = { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] };

export function Board({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const [showArchived, setShowArchived] = useState(false);
  const board = useQuery(trpc.views.board.queryOptions({ projectId, includeArchived: showArchived }));
  const live = useLiveProject(projectId);
  const [kind, setKind] = useState("");
  const [agent, setAgent] = useState("");
  const [blockedOnly, setBlockedOnly] = useState(false);
  const [search, setSearch] = useState("");
  const [overrides, setOverrides] = useState<Map<number, { stage: StageName; position: number }>>(new Map());
  const [moveError, setMoveError] = useState<string | null>(null);
  const [dragging, setDragging] = useState<Card | null>(null);
  const move = useMutation(trpc.stories.move.mutationOptions());
  // Viewers see the board but cannot move cards (the server refuses it too).
  const canMove = useMe().can("member");
  const reorder = useMutation(trpc.stories.reorder.mutationOptions());
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes: KEYBOARD_CODES }),
  );

  const stages = showArchived ? STAGES : COLUMNS;
  const cards = useMemo(() => {
    const all = (board.data?.stories ?? []).map((c) => ({ ...c, ...overrides.get(c.id) }));
    return all.sort((a, b) => a.position - b.position || a.number - b.number);
  }, [board.data, overrides]);
  const q = search.trim().toLowerCase().replace(/^#/, "");
  const visible = (c: Card) =>
    (!kind || c.kind === kind) &&
    (!agent || c.agentName === agent || c.pinnedAgent === agent) &&
    (!blockedOnly || c.blocked || !!c.mergeFailure) &&
    (!q || String(c.number) === q || c.title.toLowerCase().includes(q));
  const byStage = (stage: string) => cards.filter((c) => c.stage === stage);

  function onDragStart(e: DragStartEvent) {
    setMoveError(null);
    setDragging(cards.find((c) => c.id === e.active.id) ?? null);
  }

  function onDragEnd(e: DragEndEvent) {
    setDragging(null);
    const card = cards.find((c) => c.id === e.active.id);
    if (!card || !e.over) return;
    const overId = String(e.over.id);
    const toStage = overId.startsWith("column-") ? overId.slice(7) : cards.find((c) => c.id === e.over!.id)?.stage;
    if (!isStage(toStage)) return;
    const refused = dropProblem(card, toStage);
    if (refused) {
      setMoveError(`#${card.number} cannot move to ${toStage}: ${refused}`);
      return;
    }
    const column = byStage(toStage).filter((c) => c.id !== card.id);
    let index = overId.startsWith("column-") ? column.length : column.findIndex((c) => c.id === e.over!.id);
    if (index < 0) index = column.length;
    // Dropping below the card under the pointer when moving down within the same column.
    if (!overId.startsWith("column-") && toStage === card.stage) {
      const oldIndex = byStage(toStage).findIndex((c) => c.id === card.id);
      const overIndex = byStage(toStage).findIndex((c) => c.id === e.over!.id);
      if (oldIndex < overIndex) index += 1;
    }
    const position = positionBetween(column[index - 1]?.position, column[index]?.position);
    if (toStage === card.stage && column[index - 1]?.position === undefined && column[index]?.id === card.id) return;
    const previous = new Map(overrides);
    setOverrides(new Map(overrides).set(card.id, { stage: toStage, position }));
    const key = { projectId, storyNumber: card.number };
    const atEnd = index >= column.length;
    const springBack = (err: unknown) => {
      previous.delete(card.id);
      setOverrides(previous);
      setMoveError(`#${card.number} cannot move to ${toStage}: ${errorMessage(err)}`);
    };
    const settle = async () => {
      await board.refetch();
      setOverrides((o) => {
        const n = new Map(o);
        n.delete(card.id);
        return n;
      });
    };
    if (toStage === card.stage) {
      reorder.mutate({ ...key, index }, { onError: springBack, onSuccess: settle });
      return;
    }
    // A move lands at the end of the column; a drop higher up is then a reorder.
    move.mutate(
      { ...key, to: toStage },
      {
        onError: springBack,
        onSuccess: () => (atEnd ? settle() : reorder.mutate({ ...key, index }, { onSettled: settle })),
      },
    );
  }

  const agentNames = board.data?.agents.map((a) => a.name) ?? [];
  const announcements = useMemo(() => boardAnnouncements(cards, dropProblem), [cards]);
  return (
    <Toast.Provider swipeDirection="right">
      <div className="p-4">
        {board.data && !board.data.project.sandbox && <SandboxOffWarning />}
        <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
          <input
            aria-label="Search stories"
            placeholder="Search # or title"
            className="rounded border px-2 py-1"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <select aria-label="Filter by kind" className="rounded border px-2 py-1" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">All kinds</option>
            {STORY_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
          <select aria-label="Filter by agent" className="rounded border px-2 py-1" value={agent} onChange={(e) => setAgent(e.target.value)}>
            <option value="">All agents</option>
            {agentNames.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={blockedOnly} onChange={(e) => setBlockedOnly(e.target.checked)} /> Blocked only
          </label>
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
          </label>
          {canMove && <NewStoryDialog projectId={projectId} />}
          <span className={`ml-auto text-xs ${live ? "text-emerald-600" : "text-slate-400"}`} data-testid="live-indicator" data-live={live ? "1" : "0"}>
            {live ? "● live" : "○ connecting"}
          </span>
        </div>
        <Toast.Root
          open={moveError !== null}
          onOpenChange={(open) => !open && setMoveError(null)}
          duration={15_000}
          type="foreground"
          data-testid="move-error"
          className="flex items-start justify-between gap-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 shadow"
        >
          <Toast.Description>{moveError}</Toast.Description>
          <Toast.Close className="text-red-500" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
        <Toast.Viewport className="fixed bottom-4 right-4 z-50 flex w-[28rem] max-w-[95vw] flex-col gap-2 outline-none" />
        {board.error && <p className="text-red-700">{board.error.message}</p>}
        {board.data?.project.configError && (
          <div role="alert" data-testid="board-config-error" className="mb-3 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <ConfigErrorWording hasGoodConfig={board.data.project.hasGoodConfig} />{" "}
            <Link className="underline" href={`/settings?project=${projectId}`}>
              See them in Settings
            </Link>
          </div>
        )}
        {board.data?.project.isDemo && <DemoAutopilotNote projectId={projectId} />}
        {!board.data ? (
          !board.error && <BoardLoading stages={stages} />
        ) : (
          <DndContext
            id="board"
            sensors={sensors}
            collisionDetection={forgivingCollision}
            accessibility={{ announcements, screenReaderInstructions: boardInstructions }}
            onDragStart={onDragStart}
            onDragEnd={onDragEnd}
            onDragCancel={() => setDragging(null)}
          >
            <div className="grid gap-3" style={{ gridTemplateColumns: `repeat(${stages.length}, minmax(0, 1fr))` }}>
              {stages.map((stage) => (
                <Column
                  key={stage}
                  stage={stage}
                  cards={byStage(stage).filter(visible)}
                  refusal={dragging ? dropProblem(dragging, stage) : null}
                  canMove={canMove}
                />
              ))}
            </div>
            <DragOverlay>
              {dragging ? (
                <div data-testid="drag-overlay" className="rotate-2 scale-105 cursor-grabbing rounded shadow-xl ring-2 ring-sky-500">
                  <CardBody card={dragging} />
                </div>
              ) : null}
            </DragOverlay>
          </DndContext>
        )}
      </div>
    </Toast.Provider>
  );
}

/** Until the first board arrives: the columns without counts, not a board of zeros. */
function BoardLoading({ stages }: { stages: readonly string[] }) {
  return (
    <div className="grid gap-3" style={{ gridTemplateColumns: `repeat(${stages.length}, minmax(0, 1fr))` }} data-testid="board-loading">
      <p role="status" className="sr-only">
        Loading the board…
      </p>
      {stages.map((stage) => (
        <section key={stage} className="min-h-64 animate-pulse rounded bg-slate-100 p-2" aria-hidden="true">
          <h2 className="mb-2 text-xs font-semibold uppercase text-slate-400">{stage}</h2>
          <div className="mb-2 h-14 rounded bg-slate-200" />
          <div className="h-14 rounded bg-slate-200" />
        </section>
      ))}
    </div>
  );
}

function Column({ stage, cards, refusal, canMove }: { stage: string; cards: Card[]; refusal: string | null; canMove: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: `column-${stage}` });
  const tone = refusal ? (isOver ? "bg-red-100 ring-2 ring-red-400" : "bg-red-50 ring-1 ring-red-200") : isOver ? "bg-sky-100" : "bg-slate-100";
  return (
    <section
      ref={setNodeRef}
      data-testid={`column-${stage}`}
      data-illegal={refusal ? "true" : undefined}
      aria-label={`${stage} column`}
      className={`min-h-64 rounded p-2 ${tone}`}
    >
      <h2 className="mb-2 flex justify-between text-xs font-semibold uppercase text-slate-500">
        <span>{stage}</span>
        <span>{cards.length}</span>
      </h2>
      {refusal && (
        <p className="mb-2 text-xs text-red-700" data-testid="column-refusal">
          ⊘ Cannot move here: {refusal}
        </p>
      )}
      <SortableContext items={cards.map((c) => c.id)} strategy={verticalListSortingStrategy}>
        {cards.map((c) => (
          <SortableCard key={c.id} card={c} canMove={canMove} />
        ))}
      </SortableContext>
    </section>
  );
}

/** One tab stop per card: the card itself (Enter opens, Space lifts); a click anywhere on it opens it. A viewer cannot lift it. */
function SortableCard({ card, canMove }: { card: Card; canMove: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: card.id, disabled: !canMove });
  const router = useRouter();
  const href = storyHref(card.projectId, card.number);
  const onClick = (e: MouseEvent) => {
    // The title is a real link (middle-click, copy address); it navigates by itself.
    if (!(e.target as Element).closest("a")) router.push(href);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    listeners?.onKeyDown?.(e);
    if (e.key === "Enter" && !isDragging && !e.defaultPrevented) router.push(href);
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: the card holds blocks and a link, which a <button> may not; dnd-kit makes it a focusable role=button.
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      {...attributes}
      {...listeners}
      role="button"
      tabIndex={0}
      onKeyDown={onKeyDown}
      onClick={onClick}
      data-testid={`card-${card.number}`}
      data-stage={card.stage}
      data-dragging={isDragging ? "true" : undefined}
      data-movable={canMove}
      className={`mb-2 ${canMove ? "cursor-grab select-none" : "cursor-pointer"} rounded outline-none focus-visible:ring-2 focus-visible:ring-sky-500 ${isDragging ? "opacity-40 outline-dashed outline-2 outline-sky-400" : ""}`}
    >
      <CardBody card={card} />
    </div>
  );
}

const KIND_CLS: Record<string, string> = {
  story: "bg-sky-100 text-sky-800",
  bug: "bg-red-100 text-red-800",
  spike: "bg-violet-100 text-violet-800",
  refactor: "bg-amber-100 text-amber-800",
};

function CardBody({ card }: { card: Card }) {
  return (
    <article className="rounded border border-slate-200 bg-white p-2 text-sm shadow-sm">
      <div className="flex items-center gap-2">
        <span className="text-xs text-slate-500">#{card.number}</span>
        <span className={`rounded px-1 text-[10px] font-medium uppercase ${KIND_CLS[card.kind] ?? ""}`}>{card.kind}</span>
        {card.retryCount > 0 && (
          <span
            className="text-[10px] text-orange-700"
            title={`${card.retryCount} work retries of ${card.maxRetries === 0 ? "no limit (max_retries = 0)" : `max_retries ${card.maxRetries}`}; after the first, each retry waits longer (10 s, doubling, up to 10 min)`}
            data-testid="retry-count"
          >
            ↻{card.retryCount}/{card.maxRetries === 0 ? "∞" : card.maxRetries}
          </span>
        )}
        <span className="ml-auto text-[10px] text-slate-500" data-testid="card-cost">
          {card.costUsd > 0 ? fmtCost(card.costUsd) : ""}
        </span>
      </div>
      <Link href={storyHref(card.projectId, card.number)} className="mt-1 block font-medium hover:underline" tabIndex={-1} draggable={false}>
        {card.title}
      </Link>
      <div className="mt-1 flex items-center gap-2 text-xs text-slate-600">
        {card.agentName && (
          <span data-testid="card-agent" className="flex items-center gap-1">
            <StatusGlyph status={card.agentStatus} /> {card.agentName}
          </span>
        )}
        {!card.agentName && card.blocked && <StatusGlyph status="blocked" />}
        {card.criteria.total > 0 && (
          <span className="ml-auto" title="acceptance criteria done" data-testid="card-criteria">
            ☑ {card.criteria.done}/{card.criteria.total}
          </span>
        )}
      </div>
      {card.reviewHold && card.stage === "qa" && <p className="mt-1 text-xs text-violet-700">◷ waiting for human review</p>}
      <HeldBadge heldBy={card.heldBy} />
      {card.needsInput ? (
        <p className="mt-1 text-xs text-amber-700" data-testid="card-needs-input">
          ? Needs input: {card.needsInput}
        </p>
      ) : (
        card.blocked && <p className="mt-1 text-xs text-red-700">Blocked{card.blockedReason ? `: ${card.blockedReason}` : ""}</p>
      )}
      {card.mergeFailure && <p className="mt-1 text-xs text-red-700">Merge failed: {card.mergeFailure}</p>}
      {card.waitingReason && <p className="mt-1 text-xs text-amber-700">Waiting: {card.waitingReason}</p>}
    </article>
  );
}
