import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/lib/trpc";
import "./globals.css";

// Each page names itself ("Roster · Drover"); the favicon is app/icon.svg.
export const metadata: Metadata = { title: { default: "Drover", template: "%s · Drover" } };

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection(); // rendered per request, so Next.js can put the CSP nonce on its scripts
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
