/** How the `xp.ts` planner writes a function in the JSON it prints (`{ "$xp:function": true }`). */
export const FN_MARKER = "$xp:function";
