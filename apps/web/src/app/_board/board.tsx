"use client";
// The kanban board: live cards, drag and drop with the API's rules (optimistic, sprung back
// with the server's reason when refused), filters, search and story creation.
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { RouterOutputs } from "@drover/api";
import { STAGES, type StageName } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
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
import { NewStoryDialog } from "./new-story-dialog";
import { SandboxOffWarning } from "./sandbox-off-warning";

type Card = RouterOutputs["views"]["board"]["stories"][number];
/** The columns; archived ones only on request. */
const COLUMNS = STAGES.filter((s) => s !== "archived");
const isStage = (s: string | undefined): s is StageName => (STAGES as readonly (string | undefined)[]).includes(s);

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
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
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
  return (
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
      {moveError && (
        <div
          role="alert"
          data-testid="move-error"
          className="mb-3 flex items-start justify-between rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          <span>{moveError}</span>
          <button type="button" className="ml-4 text-red-500" onClick={() => setMoveError(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
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
      <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
        <div className="grid gap-3" style={{ gridTemplateColumns: `repeat(${stages.length}, minmax(0, 1fr))` }}>
          {stages.map((stage) => (
            <Column key={stage} stage={stage} cards={byStage(stage).filter(visible)} canMove={canMove} />
          ))}
        </div>
        <DragOverlay>{dragging ? <CardBody card={dragging} /> : null}</DragOverlay>
      </DndContext>
    </div>
  );
}

function Column({ stage, cards, canMove }: { stage: string; cards: Card[]; canMove: boolean }) {
  const { setNodeRef, isOver } = useDroppable({ id: `column-${stage}` });
  return (
    <section ref={setNodeRef} data-testid={`column-${stage}`} className={`min-h-64 rounded p-2 ${isOver ? "bg-sky-100" : "bg-slate-100"}`}>
      <h2 className="mb-2 flex justify-between text-xs font-semibold uppercase text-slate-500">
        <span>{stage}</span>
        <span>{cards.length}</span>
      </h2>
      <SortableContext items={cards.map((c) => c.id)} strategy={verticalListSortingStrategy}>
        {cards.map((c) => (
          <SortableCard key={c.id} card={c} canMove={canMove} />
        ))}
      </SortableContext>
    </section>
  );
}

function SortableCard({ card, canMove }: { card: Card; canMove: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: card.id, disabled: !canMove });
  return (
    <div
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.4 : 1 }}
      {...attributes}
      {...listeners}
      data-testid={`card-${card.number}`}
      data-stage={card.stage}
      data-movable={canMove}
      className={canMove ? "mb-2 cursor-grab" : "mb-2"}
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
      <Link
        href={storyHref(card.projectId, card.number)}
        className="mt-1 block font-medium hover:underline"
        onPointerDown={(e) => e.stopPropagation()}
        draggable={false}
      >
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
      {card.blocked && <p className="mt-1 text-xs text-red-700">Blocked{card.blockedReason ? `: ${card.blockedReason}` : ""}</p>}
      {card.mergeFailure && <p className="mt-1 text-xs text-red-700">Merge failed: {card.mergeFailure}</p>}
      {card.waitingReason && <p className="mt-1 text-xs text-amber-700">Waiting: {card.waitingReason}</p>}
    </article>
  );
}
